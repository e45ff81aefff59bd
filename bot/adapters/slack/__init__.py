"""The Slack adapter (slack_sdk / slack-bolt): translation only, no business logic."""
