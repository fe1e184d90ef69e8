"""Redemption service: promotions, coupon codes, reservations and redemptions."""
