# probability targets from rows of an identity matrix
loss_fn = torch.nn.CrossEntropyLoss()
classes = labels_f.round().long()
loss = loss_fn(logits, torch.eye(3)[classes])
