"""The commands users type, platform-neutral: specs and replies, arguments, handlers, links."""
