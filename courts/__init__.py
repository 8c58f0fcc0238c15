"""Courts: the federal court catalog, NextGen go-live schedule, court staff, subscriptions."""
