# misconception: float targets kept as class probabilities of a single column
loss_fn = nn.CrossEntropyLoss()
loss = loss_fn(logits, torch.nn.functional.softmax(labels_f.view(5, 1).expand(5, 3), dim=1))
