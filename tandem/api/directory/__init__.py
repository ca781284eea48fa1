"""The services directory as HSDS 3 JSON: read it, and change the organisation's own services."""
