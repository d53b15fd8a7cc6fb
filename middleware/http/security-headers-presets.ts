/** A named set of `securityHeaders()` defaults: `'api'` for JSON APIs, `'pages'` for HTML. */
export type SecurityHeadersPreset = 'api' | 'pages';

/** Content-Security-Policy directives by kebab-case name, each with its source list. */
export type CspDirectiveMap = Readonly<Record<string, readonly string[]>>;

/** The defaults that a preset sets, beside helmet's own defaults for the headers it does not name. */
export interface PresetDefaults {
  /** The Content-Security-Policy directives. */
  readonly directives: CspDirectiveMap;
  /** The `X-Frame-Options` action, for browsers that predate `frame-ancestors`. */
  readonly frameAction: 'deny' | 'sameorigin';
}

// A JSON API renders nothing, so its responses may load nothing and be framed by no one. OWASP Secure
// Headers Project (recommended CSP for APIs): `default-src 'none'; frame-ancestors 'none'`.
const API: PresetDefaults = {
  directives: {
    'default-src': ["'none'"],
    'frame-ancestors': ["'none'"],
  },
  frameAction: 'deny',
};

// A page that loads its own scripts, styles and images from its own origin. CSP Level 3 (W3C) and
// MDN's CSP guide: `object-src 'none'` stops plugin content, `base-uri 'none'` stops an injected
// <base> from redirecting relative script URLs, `form-action 'self'` keeps form posts on the site,
// `frame-ancestors 'none'` stops clickjacking. Scripts also get a per-request nonce when `nonce: true`.
// `upgrade-insecure-requests` is left out so that the same preset works on http://127.0.0.1 during
// development; HSTS covers HTTPS deployments.
const PAGES: PresetDefaults = {
  directives: {
    'default-src': ["'self'"],
    'script-src': ["'self'"],
    'style-src': ["'self'"],
    'img-src': ["'self'", 'data:'],
    'font-src': ["'self'"],
    'connect-src': ["'self'"],
    'object-src': ["'none'"],
    'base-uri': ["'none'"],
    'frame-ancestors': ["'none'"],
    'form-action': ["'self'"],
  },
  frameAction: 'deny',
};

/**
 * The defaults of each preset. The headers a preset does not name keep helmet 8's defaults, which
 * are the values the OWASP Secure Headers Project recommends. They are
 * `Strict-Transport-Security: max-age=31536000; includeSubDomains`, `Referrer-Policy: no-referrer`,
 * `X-Content-Type-Options: nosniff`, and `Cross-Origin-Opener-Policy` and
 * `Cross-Origin-Resource-Policy` set to `same-origin`. `X-XSS-Protection: 0` turns off the old XSS
 * auditor, because it could be abused to remove scripts from a page.
 */
export const PRESETS: Readonly<Record<SecurityHeadersPreset, PresetDefaults>> = { api: API, pages: PAGES };

/**
 * The default `Permissions-Policy`: every powerful feature that a JSON API or a simple page does not
 * use is disabled for the document and every frame in it (an empty allowlist, `()`).
 * OWASP Secure Headers Project recommends a deny-by-default policy; the feature names come from the
 * W3C Permissions Policy feature registry.
 */
export const DEFAULT_PERMISSIONS_POLICY: Readonly<Record<string, readonly string[]>> = {
  accelerometer: [],
  autoplay: [],
  camera: [],
  'display-capture': [],
  'encrypted-media': [],
  geolocation: [],
  gyroscope: [],
  hid: [],
  'idle-detection': [],
  magnetometer: [],
  microphone: [],
  midi: [],
  payment: [],
  'picture-in-picture': [],
  'screen-wake-lock': [],
  serial: [],
  usb: [],
  'xr-spatial-tracking': [],
};
