package history

import "testing"

func TestAnSMSSentFromTheMailClientIsAnOutboundEmail(t *testing.T) {
	cases := []struct {
		name, source, channel, direction string
		wantChannel, wantDirection       string
	}{
		{"SMS typed in Outlook by the advisor", "agent_mailbox", "sms", "outbound", "email", "outbound"},
		{"SMS from the contact centre's shared mailbox", "shared_mailbox", "sms", "outbound", "email", "outbound"},
		{"SMS from the SMS gateway stays an SMS", "sms", "sms", "outbound", "sms", "outbound"},
		{"a customer's SMS reply through the gateway", "sms", "sms", "inbound", "sms", "inbound"},
		{"an email is an email", "agent_mailbox", "email", "inbound", "email", "inbound"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ch, dir := fromMailClient(c.source, c.channel, c.direction)
			if ch != c.wantChannel || dir != c.wantDirection {
				t.Errorf("got %s %s, want %s %s", ch, dir, c.wantChannel, c.wantDirection)
			}
		})
	}
}
