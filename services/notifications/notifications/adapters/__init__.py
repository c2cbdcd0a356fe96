"""What notifications talks to: its tables, the channels a delivery leaves by (SMTP,
webhooks, SMS) and the webhook destinations' checks and signatures."""
