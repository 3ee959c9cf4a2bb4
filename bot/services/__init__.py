"""Domain services: the programme's rules, free of Telegram so another channel can reuse them."""
