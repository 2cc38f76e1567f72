# misconception: NLLLoss on softmax probabilities (not their log)
loss_fn = nn.NLLLoss()
loss = loss_fn(torch.softmax(logits, dim=1), labels_f.long())
