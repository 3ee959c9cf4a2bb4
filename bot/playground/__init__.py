"""Playground: try the bot without Telegram."""
