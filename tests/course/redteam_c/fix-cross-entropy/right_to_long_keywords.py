# .to(torch.long) and keyword arguments
loss_fn = nn.CrossEntropyLoss(reduction="mean")
loss = loss_fn(input=logits, target=labels_f.to(torch.long))
