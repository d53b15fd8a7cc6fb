// The orders page. The token and the receipt key live only in this page's memory: the private key
// is a non-extractable WebCrypto key, so not even this script can read its bytes.
import { compactDecrypt, decodeProtectedHeader } from '/vendor/jose/index.js';

const state = { token: null, privateKey: null };

const byId = (id) => document.getElementById(id);

function showStatus(message, isError = false) {
  const status = byId('status');
  status.textContent = message;
  status.className = isError ? 'error' : '';
}

// Problem details (RFC 9457) carry a title and, for client errors, a detail that is safe to show.
async function problemMessage(response) {
  try {
    const problem = await response.json();
    return `${problem.title ?? response.status}: ${problem.detail ?? problem.code ?? ''}`;
  } catch {
    return `Request failed with status ${response.status}`;
  }
}

async function api(method, path, body) {
  const headers = {};
  if (state.token) {
    headers.authorization = `Bearer ${state.token}`;
  }
  if (body !== undefined) {
    headers['content-type'] = 'application/json';
  }

  const response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  if (!response.ok) {
    throw new Error(await problemMessage(response));
  }
  return response;
}

// X25519 where the browser's WebCrypto supports it, P-256 elsewhere. Both are ECDH-ES key agreement
// keys (RFC 7518, section 4.6). The browser test runs both paths in Chromium.
async function generateReceiptKey() {
  try {
    return await crypto.subtle.generateKey({ name: 'X25519' }, false, ['deriveBits']);
  } catch {
    return crypto.subtle.generateKey({ name: 'ECDH', namedCurve: 'P-256' }, false, ['deriveBits']);
  }
}

async function logIn(event) {
  event.preventDefault();
  const form = event.target;
  const credentials = { username: form.elements.username.value, password: form.elements.password.value };

  const login = await api('POST', '/login', credentials);
  const { access_token: accessToken } = await login.json();
  state.token = accessToken;
  form.elements.password.value = '';

  const keyPair = await generateReceiptKey();
  state.privateKey = keyPair.privateKey;
  const { kty, crv, x, y } = await crypto.subtle.exportKey('jwk', keyPair.publicKey);
  await api('PUT', '/me/key', y === undefined ? { kty, crv, x } : { kty, crv, x, y });

  const me = await (await api('GET', '/me')).json();
  byId('display-name').textContent = me.displayName;
  byId('key-info').textContent = `${me.receiptKey}, generated in this browser`;
  byId('login-section').hidden = true;
  byId('account-section').hidden = false;
  showStatus(`Logged in as ${me.username}.`);
  await loadOrders();
}

async function placeOrder(event) {
  event.preventDefault();
  const fields = event.target.elements;
  const order = {
    items: [{ sku: fields.sku.value, quantity: Number(fields.quantity.value) }],
    shipTo: {
      name: fields.name.value,
      line1: fields.line1.value,
      city: fields.city.value,
      postalCode: fields.postalCode.value,
      country: fields.country.value,
    },
  };

  const created = await (await api('POST', '/orders', order)).json();
  showStatus(`Order placed: ${formatCents(created.totalCents)}.`);
  await loadOrders();
}

function formatCents(cents) {
  return (cents / 100).toFixed(2);
}

async function loadOrders() {
  const { orders } = await (await api('GET', '/orders')).json();
  const rows = orders.map((order) => {
    const row = document.createElement('tr');
    for (const text of [new Date(order.createdAt).toLocaleString(), String(order.itemCount), formatCents(order.totalCents)]) {
      const cell = document.createElement('td');
      cell.textContent = text;
      row.append(cell);
    }

    const button = document.createElement('button');
    button.type = 'button';
    button.textContent = 'Receipt';
    button.dataset.orderId = order.id;
    button.className = 'receipt-button';
    const cell = document.createElement('td');
    cell.append(button);
    row.append(cell);
    return row;
  });
  byId('orders-body').replaceChildren(...rows);
}

async function showReceipt(orderId) {
  const response = await api('GET', `/orders/${encodeURIComponent(orderId)}/receipt`);
  const jwe = (await response.text()).trim();
  const header = decodeProtectedHeader(jwe);
  const { plaintext } = await compactDecrypt(jwe, state.privateKey);
  const receipt = JSON.parse(new TextDecoder().decode(plaintext));

  byId('receipt-header').textContent = `alg ${header.alg}, enc ${header.enc}`;
  byId('receipt-output').textContent = JSON.stringify(receipt, null, 2);
  byId('receipt-section').hidden = false;
  showStatus('Receipt decrypted in the browser.');
}

async function logOut() {
  await api('POST', '/logout');
  state.token = null;
  state.privateKey = null;
  byId('orders-body').replaceChildren();
  byId('receipt-section').hidden = true;
  byId('account-section').hidden = true;
  byId('login-section').hidden = false;
  showStatus('Logged out: the token is revoked on the server.');
}

// Every handler reports its failure in the status line instead of an unhandled rejection.
function guarded(handler) {
  return (event) => {
    handler(event).catch((error) => showStatus(error.message, true));
  };
}

byId('login-form').addEventListener('submit', guarded(logIn));
byId('order-form').addEventListener('submit', guarded(placeOrder));
byId('logout-button').addEventListener('click', guarded(logOut));
byId('orders-body').addEventListener(
  'click',
  guarded(async (event) => {
    const button = event.target.closest('.receipt-button');
    if (button) {
      await showReceipt(button.dataset.orderId);
    }
  }),
);
