"""The Mini App: web screens opened from a button in the chat (kitchen board, office, week
menu, family planner), served by the bot's own process; every request proves who it is
with Telegram's initData."""
