import { formatInstant } from './time.js';
import type { Link } from './links.js';
import { preferencesLink } from './links.js';
import type { MailContext, Recipient } from './facts.js';
import type { Notice } from './render.js';

// A whole e-mail from rendered notices: greeting, the words, the link, a footer on preferences.
// Plain text is the message; the HTML alternative says the same with a clickable link.

export interface ComposedMail {
  subject: string;
  text: string;
  html: string;
}

const subjectPrefix = 'Pilotline: ';

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

function footer(context: MailContext): { text: string; html: string } {
  const prefs = preferencesLink(context.publicUrl);
  return {
    text: `-- \nPilotline, the pilot line's booking system: ${context.publicUrl}/\nChoose which e-mails you get, at once or as a daily digest: ${prefs}\n`,
    html: `<p style="color:#666;font-size:12px">Pilotline, the pilot line\u2019s booking system. <a href="${escapeHtml(prefs)}">Choose which e-mails you get</a>, at once or as a daily digest.</p>`,
  };
}

function htmlPage(body: string): string {
  return `<!doctype html><html><body style="font-family:system-ui,sans-serif;line-height:1.4">${body}</body></html>`;
}

/** One e-mail about one notification. */
export function composeMail(notice: Notice, link: Link, recipient: Recipient, context: MailContext): ComposedMail {
  const end = footer(context);
  const text = [`Hello ${recipient.name},`, '', ...notice.paragraphs.flatMap((p) => [p, '']), `${link.label}: ${link.href}`, '', end.text].join('\n');
  const html = htmlPage(
    [
      `<p>Hello ${escapeHtml(recipient.name)},</p>`,
      ...notice.paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`),
      `<p><a href="${escapeHtml(link.href)}">${escapeHtml(link.label)}</a></p>`,
      end.html,
    ].join(''),
  );
  return { subject: subjectPrefix + notice.subject, text, html };
}

export interface DigestEntry {
  notice: Notice;
  link: Link;
  at: Date;
}

/** One day's digest: every notice collected up to `cutoff`, oldest first. */
export function composeDigest(entries: readonly DigestEntry[], recipient: Recipient, cutoff: Date, context: MailContext): ComposedMail {
  const end = footer(context);
  const count = `${entries.length} update${entries.length === 1 ? '' : 's'}`;
  const intro = `Here is what happened up to ${formatInstant(cutoff, context.now)}:`;
  const text = [
    `Hello ${recipient.name},`,
    '',
    intro,
    '',
    ...entries.flatMap((e) => [`* ${e.notice.subject}`, ...e.notice.paragraphs.map((p) => `  ${p}`), `  ${e.link.href}`, '']),
    end.text,
  ].join('\n');
  const html = htmlPage(
    [
      `<p>Hello ${escapeHtml(recipient.name)},</p>`,
      `<p>${escapeHtml(intro)}</p>`,
      '<ul>',
      ...entries.map(
        (e) =>
          `<li><p><strong>${escapeHtml(e.notice.subject)}</strong></p>${e.notice.paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`).join('')}<p><a href="${escapeHtml(e.link.href)}">${escapeHtml(e.link.label)}</a></p></li>`,
      ),
      '</ul>',
      end.html,
    ].join(''),
  );
  return { subject: `${subjectPrefix}daily digest, ${count}`, text, html };
}
