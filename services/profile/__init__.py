"""The profile service: the consent-aware profile store."""
