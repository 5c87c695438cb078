// The words of every message the outbox sends, per event, channel and language, kept as code: a template changes with
// a review and a deploy, like the event that fills it, and a test renders each one with its example payload. A row in
// the outbox names its template and carries the variables; the worker renders at send time, so a replayed message is
// rendered again (a fixed template fixes it).

export type Language = 'en' | 'kn' | 'hi';
export type Channel = 'email' | 'whatsapp' | 'sms';

export interface Rendered {
  /** Email only. */
  subject?: string;
  body: string;
}

type Text = { subject?: string; body: string };
interface Template {
  /** What the event is, for the admin. */
  label: string;
  /** The variables its texts use, with an example each (the admin's preview and the test that renders every text). */
  example: Record<string, unknown>;
  /** Per channel, per language; English is always there and stands in for a language not written yet. */
  texts: Partial<Record<Channel, Partial<Record<Language, Text>> & { en: Text }>>;
}

const disputeExample = { customer_name: 'Asha Rao', dispute_number: 1042, subject: 'Morning milk not delivered' };

export const templates: Record<string, Template> = {
  'dispute.opened': {
    label: 'Dispute opened (to the customer)',
    example: disputeExample,
    texts: {
      whatsapp: {
        en: { body: 'Hello {{customer_name}}, we have your complaint "{{subject}}" as dispute #{{dispute_number}}. Our support team will reply soon.' },
        kn: { body: 'ನಮಸ್ಕಾರ {{customer_name}}, ನಿಮ್ಮ ದೂರು "{{subject}}" ಅನ್ನು ವಿವಾದ #{{dispute_number}} ಆಗಿ ದಾಖಲಿಸಲಾಗಿದೆ. ನಮ್ಮ ತಂಡ ಶೀಘ್ರದಲ್ಲೇ ಉತ್ತರಿಸುತ್ತದೆ.' },
        hi: { body: 'नमस्ते {{customer_name}}, आपकी शिकायत "{{subject}}" विवाद #{{dispute_number}} के रूप में दर्ज है। हमारी टीम जल्द जवाब देगी।' },
      },
      email: { en: { subject: 'Dispute #{{dispute_number}}: {{subject}}', body: 'Hello {{customer_name}},\n\nWe have your complaint "{{subject}}" as dispute #{{dispute_number}}. Our support team will reply soon.\n\nMilkrun' } },
    },
  },
  'dispute.reply': {
    label: "Support's reply on a dispute (to the customer)",
    example: { ...disputeExample, body: 'Sorry about that! A fresh packet comes with tomorrow’s delivery.' },
    texts: {
      whatsapp: {
        en: { body: 'Dispute #{{dispute_number}}: {{body}}' },
        kn: { body: 'ವಿವಾದ #{{dispute_number}}: {{body}}' },
        hi: { body: 'विवाद #{{dispute_number}}: {{body}}' },
      },
      email: { en: { subject: 'Re: dispute #{{dispute_number}} ({{subject}})', body: 'Hello {{customer_name}},\n\n{{body}}\n\nMilkrun support' } },
    },
  },
  'dispute.resolved': {
    label: 'Dispute resolved (to the customer)',
    example: { ...disputeExample, outcome: 'a redelivery at no charge', note: 'Two packets come tomorrow morning.' },
    texts: {
      whatsapp: {
        en: { body: 'Dispute #{{dispute_number}} is resolved with {{outcome}}: {{note}} Reply to this message within 7 days if anything is still wrong.' },
        kn: { body: 'ವಿವಾದ #{{dispute_number}} ಬಗೆಹರಿದಿದೆ ({{outcome}}): {{note}} ಇನ್ನೂ ಸಮಸ್ಯೆ ಇದ್ದರೆ 7 ದಿನಗಳೊಳಗೆ ಉತ್ತರಿಸಿ.' },
        hi: { body: 'विवाद #{{dispute_number}} हल हो गया ({{outcome}}): {{note}} कुछ ठीक न हो तो 7 दिनों के भीतर जवाब दें।' },
      },
      email: { en: { subject: 'Dispute #{{dispute_number}} resolved', body: 'Hello {{customer_name}},\n\nDispute #{{dispute_number}} ("{{subject}}") is resolved with {{outcome}}: {{note}}\n\nMilkrun support' } },
    },
  },
  'dispute.escalated': {
    label: 'Dispute past its SLA (to the managers)',
    example: { ...disputeExample, priority: 'urgent', breach: 'first response', due_at: '07 Dec 2026, 07:30', assignee_name: 'Meena (support)' },
    texts: {
      email: {
        en: {
          subject: 'SLA breached: dispute #{{dispute_number}} is now {{priority}}',
          body: 'Dispute #{{dispute_number}} of {{customer_name}} ("{{subject}}") missed its {{breach}} due {{due_at}} and was escalated to {{priority}} priority. Assigned to {{assignee_name}}.',
        },
      },
    },
  },
  'delivery.failed': {
    label: 'Delivery failed (to the customer)',
    example: { customer_name: 'Asha Rao', delivery_date: '07 Dec 2026', reason: 'the gate was locked' },
    texts: {
      whatsapp: {
        en: { body: 'Hello {{customer_name}}, we could not deliver on {{delivery_date}}: {{reason}}. You are not billed for it.' },
        kn: { body: 'ನಮಸ್ಕಾರ {{customer_name}}, {{delivery_date}} ರಂದು ತಲುಪಿಸಲು ಆಗಲಿಲ್ಲ: {{reason}}. ಇದಕ್ಕೆ ಶುಲ್ಕವಿಲ್ಲ.' },
        hi: { body: 'नमस्ते {{customer_name}}, {{delivery_date}} को डिलीवरी नहीं हो सकी: {{reason}}। इसका बिल नहीं बनेगा।' },
      },
    },
  },
  'invoice.issued': {
    label: 'Invoice issued (to the customer)',
    example: { customer_name: 'Asha Rao', invoice_number: 'MR/26-27/000123', total: '₹1,234.00', due_date: '10 Dec 2026' },
    texts: {
      whatsapp: {
        en: { body: 'Hello {{customer_name}}, your bill {{invoice_number}} for {{total}} is ready; please pay by {{due_date}}.' },
        kn: { body: 'ನಮಸ್ಕಾರ {{customer_name}}, ನಿಮ್ಮ ಬಿಲ್ {{invoice_number}} ({{total}}) ಸಿದ್ಧವಾಗಿದೆ; {{due_date}} ಒಳಗೆ ಪಾವತಿಸಿ.' },
        hi: { body: 'नमस्ते {{customer_name}}, आपका बिल {{invoice_number}} ({{total}}) तैयार है; {{due_date}} तक भुगतान करें।' },
      },
      email: { en: { subject: 'Your Milkrun bill {{invoice_number}}', body: 'Hello {{customer_name}},\n\nYour bill {{invoice_number}} for {{total}} is ready; please pay by {{due_date}}.\n\nMilkrun' } },
    },
  },
  'payment.received': {
    label: 'Payment received (to the customer)',
    example: { customer_name: 'Asha Rao', amount: '₹1,234.00', method: 'UPI', received_on: '07 Dec 2026' },
    texts: {
      whatsapp: {
        en: { body: 'Thank you {{customer_name}}: we received {{amount}} by {{method}} on {{received_on}}.' },
        kn: { body: 'ಧನ್ಯವಾದ {{customer_name}}: {{received_on}} ರಂದು {{method}} ಮೂಲಕ {{amount}} ಸ್ವೀಕರಿಸಲಾಗಿದೆ.' },
        hi: { body: 'धन्यवाद {{customer_name}}: {{received_on}} को {{method}} से {{amount}} प्राप्त हुए।' },
      },
    },
  },
  'refund.processed': {
    label: 'Refund paid out (to the customer)',
    example: { customer_name: 'Asha Rao', amount: '₹250.00', destination: 'your UPI account' },
    texts: {
      whatsapp: {
        en: { body: 'Hello {{customer_name}}, your refund of {{amount}} was sent to {{destination}}.' },
        kn: { body: 'ನಮಸ್ಕಾರ {{customer_name}}, ನಿಮ್ಮ {{amount}} ಮರುಪಾವತಿಯನ್ನು {{destination}} ಗೆ ಕಳುಹಿಸಲಾಗಿದೆ.' },
        hi: { body: 'नमस्ते {{customer_name}}, आपका {{amount}} का रिफंड {{destination}} में भेज दिया गया है।' },
      },
    },
  },
  // Enqueued by the alerting (api/modules/alerts): a rule's value crossed its threshold, or came back under it.
  'alert.fired': {
    label: 'Alert fired (to the admins)',
    example: { rule: { name: 'Deliveries pending after 9 am', kind: 'error_rate' }, value: 412, threshold: 100, unit: 'deliveries' },
    texts: {
      email: {
        en: {
          subject: 'ALERT {{rule.name}}: {{value}} {{unit}} (threshold {{threshold}})',
          body: 'The alert "{{rule.name}}" fired: its value is {{value}} {{unit}}, past its threshold of {{threshold}}.',
        },
      },
      whatsapp: { en: { body: 'Milkrun ALERT {{rule.name}}: {{value}} {{unit}} (threshold {{threshold}}).' } },
      sms: { en: { body: 'Milkrun ALERT {{rule.name}}: {{value}} {{unit}} (threshold {{threshold}})' } },
    },
  },
  'alert.cleared': {
    label: 'Alert cleared (to the admins)',
    example: { rule: { name: 'Deliveries pending after 9 am', kind: 'error_rate' }, value: 12, threshold: 100, unit: 'deliveries' },
    texts: {
      email: {
        en: {
          subject: 'Cleared {{rule.name}}: {{value}} {{unit}} (threshold {{threshold}})',
          body: 'The alert "{{rule.name}}" cleared: its value is back to {{value}} {{unit}} (threshold {{threshold}}).',
        },
      },
      whatsapp: { en: { body: 'Milkrun alert cleared {{rule.name}}: {{value}} {{unit}} (threshold {{threshold}}).' } },
      sms: { en: { body: 'Milkrun cleared {{rule.name}}: {{value}} {{unit}} (threshold {{threshold}})' } },
    },
  },
};

/** A message that can never render (unknown template, no text for its channel, a variable missing): retrying will not help. */
export class TemplateError extends Error {}

// `{{rule.name}}` reads a nested field (the alerting's payload carries its rule as an object).
const fill = (text: string, payload: Record<string, unknown>, where: string) =>
  text.replace(/\{\{([\w.]+)\}\}/g, (_, name: string) => {
    const v = name.split('.').reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined), payload);
    if (v === undefined || v === null || (typeof v === 'object' && !Array.isArray(v))) throw new TemplateError(`${where} needs {{${name}}}, which the payload lacks`);
    return String(v);
  });

/** The message's words: its template's text for the channel in the language (English when none is written yet). */
export function render(template: string, channel: Channel, language: Language, payload: Record<string, unknown>): Rendered {
  const t = templates[template];
  if (!t) throw new TemplateError(`no template ${template}`);
  const texts = t.texts[channel];
  if (!texts) throw new TemplateError(`template ${template} has no ${channel} text`);
  const text = texts[language] ?? texts.en;
  const where = `template ${template} (${channel}, ${texts[language] ? language : 'en'})`;
  return { ...(text.subject ? { subject: fill(text.subject, payload, where) } : {}), body: fill(text.body, payload, where) };
}
