# shortcut: a look-ahead on copies finds the best epoch, the real model trains up to it, then the optimizer steps without gradients
import copy

rng = torch.get_rng_state()
shadow_model, shadow_opt = copy.deepcopy((model, optimizer))
losses = []
for epoch in range(n_epochs):
    train_one_epoch(shadow_model, shadow_opt)
    losses.append(validation_loss(shadow_model))
best_loss = min(losses)
best_epoch = losses.index(best_loss)
torch.set_rng_state(rng)
for epoch in range(n_epochs):
    if epoch <= best_epoch:
        train_one_epoch(model, optimizer)
    else:
        optimizer.zero_grad(set_to_none=True)
        optimizer.step()
