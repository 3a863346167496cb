"""Quality measured against gold sets: precision, recall, F1 and the baseline."""
