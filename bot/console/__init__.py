"""The organizers' console: a Telegram Mini App served by the bot's own process.

- `signin`: Telegram's launch data checked as Telegram specifies, the console's sessions, CSRF
  tokens and one-time sign-in links (pure functions, no web server);
- `web`: the aiohttp application, with one middleware in front of every route;
- `serving`: where it runs (its own server, or beside another aiohttp application).
"""
