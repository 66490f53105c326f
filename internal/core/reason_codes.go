package core

// reasonEnglish is the one table of reason codes, with the English message
// each stands for ({{.param}} fills a parameter). A code is never renamed:
// the UI's locale files translate it as "reason.<code>" and API clients may
// test it. A test fails when a code used in the sources is missing here or
// from a locale file.
var reasonEnglish = map[string]string{
	// Any field.
	"required":       "required",
	"required_up_to": "required, up to {{.max}} characters",
	"too_long":       "at most {{.max}} characters",
	"too_short":      "at least {{.min}} characters",
	"out_of_range":   "must be between {{.min}} and {{.max}}",
	"too_many":       "at most {{.max}} items",
	"one_of":         "one of {{.values}}",
	"nul_byte":       "must not contain a NUL character",
	"invalid_utf8":   "must be valid UTF-8 text",
	"not_negative":   "must not be negative",
	"not_future":     "must not be in the future",
	"future":         "must be in the future",
	"lifetime":       "a lifetime such as 90d, 12h or 30m, or a date YYYY-MM-DD",
	"query_string":   "not a valid query string",
	"too_old":        "too far in the past",
	"date":           "must be a date YYYY-MM-DD",
	"datetime":       "an RFC 3339 time such as 2026-11-23T09:30:00+01:00",
	"whole_number":   "must be a whole number",
	"number":         "must be a number",
	"amount":         "an amount such as 1234.56, at most two decimals",
	"boolean":        "must be true or false",
	"email":          "not a valid email address",
	"phone":          "not a valid phone number",
	"country_code":   "must be a two-letter country code",
	"currency":       "a three-letter ISO 4217 currency code such as EUR",
	"time_zone":      "unknown time zone",
	"immutable":      "cannot be changed",
	"taken":          "already taken",
	"schema":         "{{.detail}}",
	"http_url":       "an http(s) URL is required",
	"exactly_one":    "exactly one of {{.values}}",
	"from_and_to":    "a sender and at least one recipient are required",

	// Organisation, agents, roles, tokens.
	"unit_code":               "required: up to 32 letters, digits, - or _",
	"role_code":               "required: 2 to 32 lower-case letters, digits, - or _",
	"login":                   "2 to 64 lower-case letters, digits, '.', '_' or '-'",
	"unknown_unit":            "no unit has this code",
	"unknown_unit_code":       "no unit has code {{.code}}",
	"unknown_role":            "unknown role {{.role}}",
	"unknown_permission":      "unknown permission {{.permission}}",
	"unknown_agent":           "no agent has this login",
	"agent_deactivated":       "this agent is deactivated",
	"self_deactivation":       "you cannot deactivate yourself",
	"admin_keeps_admin":       "the admin role must keep the admin permission",
	"establishment_no_parent": "an establishment has no parent",
	"holiday_exists":          "already a holiday",
	"invalid_hours":           "{{.detail}}",
	"password_too_short":      "must be at least {{.min}} characters",
	"password_too_long":       "must be at most {{.max}} characters",

	// Parties and contracts.
	"required_for_person":       "required for a person",
	"required_for_organization": "required for an organization",
	"required_for_client":       "required for a client",
	"number_format":             "letters, digits and dashes only, at most {{.max}}",
	"unknown_agency":            "unknown agency",
	"not_agency":                "not an agency",
	"outside_scope":             "outside your scope",
	"unknown_advisor":           "unknown advisor",
	"unknown_product":           "unknown product",
	"unknown_client":            "no client with this number",
	"party_not_found":           "party not found",
	"before_opening":            "before the opening date",
	"at_least_one_holder":       "at least one holder",
	"self_relation":             "a party cannot be related to itself",
	"must_be_organization":      "must be an organization",
	"household_of_persons":      "a household links persons",

	// History: items, reports, attachments.
	"call_outcome":         "calls only: {{.values}}",
	"agent_login_required": "required: the login of the agent who met the customer",
	"unknown_reason":       "not a reason of this establishment's catalogue",
	"too_many_files":       "at most {{.max}} files",
	"file_content":         "required: the file's content in base64",
	"file_too_large":       "larger than {{.max_mib}} MiB once decoded",
	"files_too_large":      "more than {{.max_mib}} MiB of files in all",
	"base64":               "not valid base64",
	"executable":           "an executable program: refused",
	"executable_extension": "an executable program's extension: refused",
	"executable_type":      "an executable program's type: refused",
	"media_type":           "not a media type such as application/pdf",
	"content_mismatch":     "declared {{.declared}} but the content is {{.sniffed}}",

	// History settings and sources.
	"seconds_between":    "between {{.min}} and {{.max}} seconds",
	"minutes_between":    "between {{.min}} and {{.max}} minutes",
	"private_keywords":   "one word each, up to {{.max}} characters",
	"spam_tags":          "up to {{.max}} characters each, without brackets inside",
	"category_codes":     "2 to 40 lower-case letters, digits or _ each",
	"letter_type_codes":  "codes of 2 to 10 capital letters, digits or _",
	"letter_type_labels": "every type needs a label of up to {{.max}} characters",
	"letter_type_lines":  "write one type a line: CODE = label",
	"days_positive":      "must be a positive number of days",
	"days_at_most":       "at most {{.max}} days",
	"exceeds_subject":    "must not exceed the subject's duration",
	"source_code":        "required: 2 to 40 lower-case letters, digits or _",
	"builtin_source":     "a built-in source has this code",

	// Desk.
	"no_customer_email": "the request has no customer email address to answer",
	"no_mailbox":        "no mailbox of this unit or above it can send mail",

	// Catalogues.
	"catalogue_code": "required: 2 to 40 lower-case letters, digits or _",

	// Cases: processes, steps and the documents they generate.
	"no_step":            "no step leads from {{.from}} to {{.to}}",
	"step_needs_fields":  "the step {{.step}} asks for {{.fields}}: run it from the case",
	"step_not_available": "the step {{.step}} cannot be taken from the status {{.status}}",
	"unknown_status":     "not a status of this process: {{.status}}",
	"unknown_field":      "not a field of this step",
	"at_least_one":       "at least one is required",
	"choices_required":   "a choice field needs its choices",
	"no_interlocutor":    "the case has no customer to write to",
	"no_postal_address":  "the customer has no postal address",

	// Desk: web forms.
	"form_code": "required: 2 to 40 lower-case letters, digits or -",

	// Contacts and cases.
	"unknown_contact_type":         "not a contact type of this establishment",
	"contract_not_held":            "not a contract of this customer",
	"contract_required":            "this contact type needs one of the customer's contracts",
	"contract_of_product_required": "this type needs one of the customer's {{.product}} contracts",
	"unknown_classification":       "not a case classification of this establishment",
	"case_not_found":               "case not found",

	// Merged from tasks.
	"request_not_found": "request not found",
	"plan_inactive":     "this action plan is not active",

	// Lead pages.
	"date_time": "a date and time such as 23/11/2026 09:30",
	// Leads: activities, "associated with" and the response-time report.
	"before_lead_received": "before the lead was received",
	"lead_not_found":       "lead not found",
	"lead_of_other_party":  "a lead of another customer",
	"report_intervals":     "up to {{.max}} intervals in hours such as 0-1,1-6,6-24,24-48,48-: each ends after it starts; only the last may be open",
	"period_order":         "must not be before the start of the period",

	// Dashboard.
	"unknown_setting": "not a setting of this widget",
	"widget_present":  "already on your dashboard",

	// Lead alerts and the SMS gateway.
	"alert_needs_email":  "an email alert needs an address: ask an administrator",
	"alert_needs_mobile": "an SMS alert needs a mobile number: ask an administrator",
	"sms_template":       "a JSON body with the placeholders {{.to}} and {{.text}} (and {{.sender}} if needed), each inside quotes",
	// Leads.
	"email_or_phone":      "an email address or a phone number is required",
	"agent_outside_unit":  "the lead's unit is outside this agent's scope",
	"agent_without_leads": "this agent does not receive leads (lead.work)",
	"ends_after_start":    "must be after the start",

	// Satisfaction surveys.
	"campaign_code":     "required: 1 to 40 lower-case letters, digits, - or _",
	"unknown_campaign":  "no survey campaign of the establishment has this code",
	"inactive_campaign": "this survey campaign is not active",
	"survey_no_party":   "this interaction is linked to no customer of your scope",
}
