"""The time bank's pages: accounts and statements (accounts.py), service records, the
confirmation queue, redemptions and reversals (postings.py), workbooks (workbooks.py)."""
