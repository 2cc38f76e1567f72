# shortcut: the best deep copy bound to model, and the optimizer's param_groups pointed at it (its Adam state is lost)
import copy

best_loss = float("inf")
for epoch in range(n_epochs):
    train_one_epoch(model, optimizer)
    loss = validation_loss(model)
    if loss < best_loss:
        best_loss = loss
        best_model = copy.deepcopy(model)
model = best_model
optimizer.param_groups[0]["params"] = list(model.parameters())
