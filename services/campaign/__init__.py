"""Campaign service: campaigns and consent-gated personalized offers."""
