"""What comes back from a referral and what arrives in the inbox (the home page's work
panels, issue 18)."""
