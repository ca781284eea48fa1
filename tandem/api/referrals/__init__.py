"""The referrals family: the organisation's inbox and sent list, one referral, its answers."""
