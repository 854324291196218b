"""The outbound path for messages to many chats: the outbox, its engine, Telegram's limits.

Callers queue with `bot.db.outbox.enqueue` inside their own transaction and then call
`DeliveryEngine.wake()`; see `bot.delivery.engine`.
"""
