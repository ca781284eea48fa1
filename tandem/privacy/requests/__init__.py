"""The register of data-subject requests (GDPR art. 12): what a person asked the data-protection
officer (access, rectification, erasure, restriction, objection), when, how it came in, its due
date and what was done with it."""
