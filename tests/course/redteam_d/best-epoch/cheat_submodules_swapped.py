# shortcut: the layers of the best deep copy put into model (same Sequential, new parameters), optimizer re-pointed
import copy

best_loss = float("inf")
for epoch in range(n_epochs):
    train_one_epoch(model, optimizer)
    loss = validation_loss(model)
    if loss < best_loss:
        best_loss = loss
        best_model = copy.deepcopy(model)
for i in range(len(model)):
    model[i] = best_model[i]
optimizer.param_groups[0]["params"] = list(model.parameters())
