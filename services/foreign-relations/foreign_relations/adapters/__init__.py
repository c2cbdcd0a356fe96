"""What foreign relations reaches outside plain Python: its tables and the queries on them."""
