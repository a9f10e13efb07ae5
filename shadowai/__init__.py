"""shadowai: monthly, pseudonymised reports of public generative-AI usage from network logs."""

__version__ = "0.1.0"
