# the parameters flattened into one cloned vector, written back with vector_to_parameters
from torch.nn.utils import parameters_to_vector, vector_to_parameters

best_loss, best_vec = float("inf"), None
for epoch in range(n_epochs):
    train_one_epoch(model, optimizer)
    loss = validation_loss(model)
    if loss < best_loss:
        best_loss = loss
        best_vec = parameters_to_vector(model.parameters()).detach().clone()
with torch.no_grad():
    vector_to_parameters(best_vec, model.parameters())
