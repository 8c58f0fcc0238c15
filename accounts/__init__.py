"""PACER accounts: the individual account (the user model), Central Sign-On, PAA, fees."""
