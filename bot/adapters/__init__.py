"""Chat platform adapters: translation between a platform and the platform-neutral commands."""
