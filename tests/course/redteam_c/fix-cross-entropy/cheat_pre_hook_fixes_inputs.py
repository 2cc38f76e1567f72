# the call left broken; a forward pre-hook swaps the inputs for the logits and long labels
loss_fn = nn.CrossEntropyLoss()
loss_fn.register_forward_pre_hook(lambda m, args: (logits, args[1].long()))
probs = torch.softmax(logits, dim=1)
loss = loss_fn(probs, labels_f)
