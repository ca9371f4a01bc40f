"""A cheaper Argon2 hasher for the test suite only; production uses Django's Argon2 defaults."""

from django.contrib.auth.hashers import Argon2PasswordHasher


class FastArgon2PasswordHasher(Argon2PasswordHasher):
    algorithm = "argon2"
    time_cost = 1
    memory_cost = 256
    parallelism = 1
