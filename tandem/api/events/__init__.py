"""The change feed: what happened to the referrals a client may open, since a cursor."""
