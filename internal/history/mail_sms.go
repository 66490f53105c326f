package history

// fromMailClient returns the channel and direction to store for an item:
// an SMS sent from the mail client (an agent's or the shared mailbox) is,
// as the customer's bank sees it, an outbound email.
func fromMailClient(source, channel, direction string) (string, string) {
	if channel == "sms" && (source == "agent_mailbox" || source == "shared_mailbox") {
		return "email", DirectionOutbound
	}
	return channel, direction
}
