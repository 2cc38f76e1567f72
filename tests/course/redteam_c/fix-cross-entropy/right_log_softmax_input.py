# log-probabilities as the input: log_softmax of log_softmax is itself, so the loss is the same
loss_fn = nn.CrossEntropyLoss()
loss = loss_fn(torch.log_softmax(logits, dim=1), labels_f.type(torch.int64))
