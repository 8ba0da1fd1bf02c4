/**
 * The browser side of `/docs`, served by the app itself as `/docs/member-phone-signing.js` (the page
 * must work without internet). It:
 *
 * - renders a panel above Swagger UI that explains ARS and the demo credentials, and takes an API key
 *   and secret. The secret is imported into a non-extractable Web Crypto key and the input cleared:
 *   the page keeps no copy of it, and reloading forgets everything;
 * - signs every "Try it out" request of an operation that accepts the `hmac` scheme with a fresh
 *   `HMAC-SHA256 apiKey=…, date=…, salt=…, signature=…` header, the algorithm of
 *   `@member-phone/core`'s `signHmacAuthorization` (HMAC of `date + salt`, keyed by the secret);
 * - replaces the `hmac` value box of the Authorize dialog with a pointer to the panel, so no one
 *   pastes a secret where Swagger UI would send it as it is;
 * - remembers the last ARS verification started, so the keypad step has its id and code at hand.
 *
 * It is plain ES2020 kept as a string: the app's TypeScript has no DOM types, and the browser test
 * and `swagger-signing.script.spec.ts` run it for real.
 */
export const SWAGGER_SIGNING_SCRIPT = String.raw`(function () {
  'use strict';

  var SALT_ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
  var SALT_LENGTH = 32;
  var HEADER_SAFE = /^[\x21-\x7e]+$/;
  var DEV_KEYPAD_PATH = '/dev/ars/{verificationId}/keypad';
  var ARS_START_PATH = '/users/v1/member/phone-number/ars';
  var encoder = new TextEncoder();

  /** The signing credential: the key as typed, the secret only as a non-extractable CryptoKey. */
  var signing = null;
  var lastVerification = null;
  var hmacRoutes = null;

  function subtleCrypto() {
    return globalThis.crypto && globalThis.crypto.subtle ? globalThis.crypto.subtle : null;
  }

  // Every character equally likely: bytes at or above the largest multiple of 62 are drawn again.
  function randomSalt(length) {
    var limit = 256 - (256 % SALT_ALPHABET.length);
    var salt = '';
    while (salt.length < length) {
      var bytes = globalThis.crypto.getRandomValues(new Uint8Array(length * 2));
      for (var i = 0; i < bytes.length && salt.length < length; i++) {
        if (bytes[i] < limit) salt += SALT_ALPHABET[bytes[i] % SALT_ALPHABET.length];
      }
    }
    return salt;
  }

  function toHex(buffer) {
    return Array.from(new Uint8Array(buffer), function (byte) {
      return byte.toString(16).padStart(2, '0');
    }).join('');
  }

  function importSecret(secret) {
    return subtleCrypto().importKey('raw', encoder.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, [
      'sign',
    ]);
  }

  async function authorizationFor(apiKey, key, date, salt) {
    var mac = await subtleCrypto().sign('HMAC', key, encoder.encode(date + salt));
    return 'HMAC-SHA256 apiKey=' + apiKey + ', date=' + date + ', salt=' + salt + ', signature=' + toHex(mac);
  }

  /** The same header as signHmacAuthorization of @member-phone/core; date and salt for tests only. */
  async function signAuthorization(apiKey, apiSecret, options) {
    var date = (options && options.date) || new Date().toISOString();
    var salt = (options && options.salt) || randomSalt(SALT_LENGTH);
    return authorizationFor(apiKey, await importSecret(apiSecret), date, salt);
  }

  function currentSpec() {
    var ui = globalThis.ui;
    if (!ui || !ui.specSelectors) return null;
    var spec = ui.specSelectors.specJson();
    return spec && spec.toJS ? spec.toJS() : spec;
  }

  function escapeRegExp(text) {
    return text.replace(/[.*+?^$()|[\]\\]/g, '\\$&');
  }

  /** Method and path pattern of every operation whose security accepts the hmac scheme. */
  function routesAcceptingHmac(spec) {
    var routes = [];
    var paths = (spec && spec.paths) || {};
    Object.keys(paths).forEach(function (path) {
      var pattern = new RegExp(
        '^' +
          path
            .split(/\{[^/}]+\}/)
            .map(escapeRegExp)
            .join('[^/]+') +
          '$',
      );
      Object.keys(paths[path]).forEach(function (method) {
        var operation = paths[path][method];
        var security = (operation && operation.security) || spec.security || [];
        var acceptsHmac = security.some(function (requirement) {
          return Object.prototype.hasOwnProperty.call(requirement, 'hmac');
        });
        if (acceptsHmac) routes.push({ method: method.toUpperCase(), pattern: pattern });
      });
    });
    return routes;
  }

  function acceptsHmac(method, pathname) {
    if (!hmacRoutes) {
      var spec = currentSpec();
      if (!spec) return false;
      hmacRoutes = routesAcceptingHmac(spec);
    }
    return hmacRoutes.some(function (route) {
      return route.method === String(method).toUpperCase() && route.pattern.test(pathname);
    });
  }

  function setAuthorization(headers, value) {
    Object.keys(headers).forEach(function (name) {
      if (name.toLowerCase() === 'authorization') delete headers[name];
    });
    headers.Authorization = value;
  }

  /** Signs from now on with this key; the secret is kept only as a non-extractable CryptoKey. */
  async function useCredentials(apiKey, secret) {
    signing = null;
    signing = { apiKey: apiKey, key: await importSecret(secret), signed: 0 };
  }

  function forgetCredentials() {
    signing = null;
  }

  /** Swagger UI's requestInterceptor: a fresh signature for each request to this origin's hmac routes. */
  async function requestInterceptor(request) {
    if (!signing) return request;
    var url = new URL(request.url, globalThis.location.href);
    if (url.origin !== globalThis.location.origin) return request;
    if (!acceptsHmac(request.method || 'GET', url.pathname)) return request;
    request.headers = request.headers || {};
    var header = await authorizationFor(
      signing.apiKey,
      signing.key,
      new Date().toISOString(),
      randomSalt(SALT_LENGTH),
    );
    setAuthorization(request.headers, header);
    signing.signed += 1;
    showSigningStatus();
    return request;
  }

  function responseBody(response) {
    if (response.body && typeof response.body === 'object') return response.body;
    try {
      return JSON.parse(response.text || response.data || '');
    } catch (error) {
      return null;
    }
  }

  /** Swagger UI's responseInterceptor: keeps the id and code of the last ARS call started. */
  function responseInterceptor(response) {
    try {
      var url = new URL(response.url, globalThis.location.href);
      if (response.status === 201 && url.pathname === ARS_START_PATH) {
        var body = responseBody(response);
        if (body && typeof body.verificationId === 'string' && typeof body.code === 'string') {
          lastVerification = { verificationId: body.verificationId, code: body.code, phoneNumber: body.phoneNumber };
          showLastVerification();
        }
      }
    } catch (error) {
      // A response the helper cannot read is still shown by Swagger UI as it is.
    }
    return response;
  }

  /** Swagger UI plugin: the Authorize dialog points to the panel instead of taking an hmac value. */
  function plugin(system) {
    return {
      wrapComponents: {
        apiKeyAuth: function (Original) {
          return function (props) {
            var React = system.React;
            if (props.name !== 'hmac') return React.createElement(Original, props);
            return React.createElement(
              'div',
              { className: 'member-phone-hmac-note' },
              React.createElement('h4', null, 'hmac (API key signature)'),
              React.createElement(
                'p',
                null,
                'Each request needs its own signature, so this page signs for you: enter the API key and ' +
                  'secret in the "Sign requests with an API key" panel at the top of the page. Never paste ' +
                  'a secret here.',
              ),
            );
          };
        },
      },
    };
  }

  // ---- the panel ------------------------------------------------------------------------------

  var elements = {};

  function element(tag, attributes, children) {
    var node = document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (name) {
      if (name === 'text') node.textContent = attributes[name];
      else node.setAttribute(name, attributes[name]);
    });
    (children || []).forEach(function (child) {
      node.appendChild(typeof child === 'string' ? document.createTextNode(child) : child);
    });
    return node;
  }

  function code(text) {
    return element('code', { text: text });
  }

  function hasDevelopmentKeypad() {
    var spec = currentSpec();
    return Boolean(spec && spec.paths && spec.paths[DEV_KEYPAD_PATH]);
  }

  function showSigningStatus(problem) {
    var status = elements.status;
    if (!status) return;
    status.className = 'member-phone-status' + (problem ? ' member-phone-problem' : signing ? ' member-phone-on' : '');
    if (problem) status.textContent = problem;
    else if (signing) {
      status.textContent =
        'Signing with API key ' +
        signing.apiKey +
        ': every "Try it out" request gets a fresh HMAC-SHA256 signature (' +
        signing.signed +
        ' signed so far). The secret stays in this page, which forgets it on reload or on "Forget".';
    } else {
      status.textContent =
        'Not signing. Requests carry what Authorize holds: paste a bearer token there, or enter an API key here.';
    }
  }

  function showLastVerification() {
    var box = elements.lastVerification;
    if (!box || !lastVerification) return;
    box.textContent = '';
    box.appendChild(
      element('strong', { text: 'Last ARS call started: ' }),
    );
    box.appendChild(document.createTextNode('verificationId '));
    box.appendChild(code(lastVerification.verificationId));
    box.appendChild(document.createTextNode(', code '));
    box.appendChild(code(lastVerification.code));
    box.appendChild(document.createTextNode(' for ' + (lastVerification.phoneNumber || 'the new number') + '. '));
    box.appendChild(
      document.createTextNode(
        hasDevelopmentKeypad()
          ? 'Type it with POST ' + DEV_KEYPAD_PATH + ', body {"digits":"' + lastVerification.code + '"}.'
          : 'Answer the call on that phone and type the code on its keypad.',
      ),
    );
    box.hidden = false;
  }

  async function startSigning() {
    var apiKey = elements.apiKey.value.trim();
    var secret = elements.apiSecret.value;
    if (!subtleCrypto()) {
      showSigningStatus(
        'This browser offers Web Crypto only on https:// pages and on localhost: open the page as ' +
          'http://127.0.0.1:<port>/docs or behind https to sign here.',
      );
      return;
    }
    if (!HEADER_SAFE.test(apiKey) || /[,"]/.test(apiKey)) {
      showSigningStatus('Enter the API key: visible characters, no commas or quotes.');
      return;
    }
    if (!secret) {
      showSigningStatus('Enter the API secret that belongs to this key.');
      return;
    }
    try {
      await useCredentials(apiKey, secret);
    } catch (error) {
      showSigningStatus('The secret could not be used for signing: ' + (error && error.message));
      return;
    }
    elements.apiSecret.value = '';
    elements.apiSecret.placeholder = 'kept in this page as a signing key';
    showSigningStatus();
  }

  function forgetSigning() {
    forgetCredentials();
    elements.apiSecret.value = '';
    elements.apiSecret.placeholder = '';
    showSigningStatus();
  }

  function steps(development) {
    var list = element('ol', {}, [
      element('li', {}, [
        'Sign in: enter the API key and secret below, or paste the bearer token into ',
        element('strong', { text: 'Authorize → bearer' }),
        '.',
      ]),
      element('li', {}, [
        code('POST ' + ARS_START_PATH),
        ' → Try it out → Execute with the new number: the answer (201) holds the ',
        code('verificationId'),
        ' and the ',
        code('code'),
        ' to type.',
      ]),
      development
        ? element('li', {}, [
            code('POST ' + DEV_KEYPAD_PATH),
            ' with that id and ',
            code('{"digits":"<code>"}'),
            ': the simulated keypad stands in for the person on the phone (no real call is placed in development).',
          ])
        : element('li', { text: 'Answer the call to the new number and type the code on its keypad.' }),
      element('li', {}, [
        code('PUT /users/v1/member/phone-number'),
        ' with the same number: 200 and the member, with the new number.',
      ]),
    ]);
    return list;
  }

  function renderPanel() {
    if (document.getElementById('member-phone-signing')) return;
    var development = hasDevelopmentKeypad();
    elements.apiKey = element('input', {
      id: 'member-phone-api-key',
      name: 'member-phone-api-key',
      type: 'text',
      autocomplete: 'off',
      spellcheck: 'false',
    });
    elements.apiSecret = element('input', {
      id: 'member-phone-api-secret',
      name: 'member-phone-api-secret',
      type: 'password',
      autocomplete: 'off',
    });
    var use = element('button', { type: 'submit', id: 'member-phone-sign', class: 'btn authorize', text: 'Sign requests' });
    var forget = element('button', { type: 'button', id: 'member-phone-forget', class: 'btn', text: 'Forget' });
    forget.addEventListener('click', forgetSigning);
    var form = element('form', { class: 'member-phone-form', autocomplete: 'off' }, [
      element('label', { for: 'member-phone-api-key', text: 'API key' }),
      elements.apiKey,
      element('label', { for: 'member-phone-api-secret', text: 'API secret' }),
      elements.apiSecret,
      use,
      forget,
    ]);
    form.addEventListener('submit', function (event) {
      event.preventDefault();
      void startSigning();
    });
    elements.status = element('p', { id: 'member-phone-signing-status', role: 'status' });
    elements.lastVerification = element('p', { id: 'member-phone-last-verification', class: 'member-phone-last' });
    elements.lastVerification.hidden = true;

    var demo = development
      ? element('p', {}, [
          element('strong', { text: 'Demo credentials. ' }),
          'On its first start on an empty database, this development server created the demo ACTIVE member ',
          code('member@example.com'),
          ' (nickName, 010-1234-5678), an API key with its secret and a development bearer token, and printed ' +
            'them once in its console, in the box "member-phone: demo credentials (shown once)". Lost them? ',
          code('npm run cli -- api-keys create --member member@example.com'),
          ' prints a new key and secret, ',
          code('npm run cli -- tokens issue --member member@example.com'),
          ' a new token.',
        ])
      : element('p', {}, [
          element('strong', { text: 'Credentials. ' }),
          'Use an API key and secret of your member, or a bearer token listing users:read and users:write.',
        ]);

    var panel = element('section', { id: 'member-phone-signing', 'aria-labelledby': 'member-phone-signing-title' }, [
      element('h2', { id: 'member-phone-signing-title', text: 'Try the whole flow in this page' }),
      element('p', {}, [
        element('strong', { text: 'ARS' }),
        ' (automatic response system) is the second authentication of a new phone number: the service places ' +
          'an automated call to that number, and the person types the code shown on screen on the phone keypad. ' +
          'Only then does ',
        code('PUT /users/v1/member/phone-number'),
        ' accept the number.',
      ]),
      demo,
      steps(development),
      element('h3', { text: 'Sign requests with an API key (HMAC)' }),
      element('p', {
        text:
          'The key and secret stay in this page: the secret becomes a non-extractable Web Crypto key, is never ' +
          'sent, and is forgotten on reload. Each request then carries a fresh Authorization: HMAC-SHA256 ' +
          'apiKey=…, date=…, salt=…, signature=… header, which replaces a bearer token set in Authorize.',
      }),
      form,
      elements.status,
      elements.lastVerification,
    ]);
    var root = document.getElementById('swagger-ui');
    if (root && root.parentNode) root.parentNode.insertBefore(panel, root);
    else document.body.insertBefore(panel, document.body.firstChild);
    showSigningStatus();
    showLastVerification();
  }

  globalThis.memberPhoneDocs = {
    requestInterceptor: requestInterceptor,
    responseInterceptor: responseInterceptor,
    plugin: plugin,
    renderPanel: renderPanel,
    useCredentials: useCredentials,
    forgetCredentials: forgetCredentials,
    signAuthorization: signAuthorization,
    routesAcceptingHmac: routesAcceptingHmac,
  };

  // Swagger UI starts in window.onload, set by the script before this one: a load listener runs after
  // it, when the document (and so whether the development keypad exists) is known.
  if (typeof document !== 'undefined') {
    if (document.readyState === 'complete') renderPanel();
    else globalThis.addEventListener('load', renderPanel);
  }
})();
`;

/** Styles of the panel, in Swagger UI's own look. */
export const SWAGGER_SIGNING_CSS = `
#member-phone-signing { max-width: 1460px; margin: 0 auto; padding: 16px 20px 4px; font-family: sans-serif; color: #3b4151; }
#member-phone-signing h2 { font-size: 22px; margin: 8px 0; }
#member-phone-signing h3 { font-size: 17px; margin: 14px 0 4px; }
#member-phone-signing p, #member-phone-signing li { font-size: 14px; line-height: 1.5; margin: 4px 0; }
#member-phone-signing code { background: rgba(0,0,0,.05); padding: 1px 4px; border-radius: 3px; font-size: 13px; }
#member-phone-signing .member-phone-form { display: flex; flex-wrap: wrap; align-items: center; gap: 8px; margin: 8px 0; }
#member-phone-signing input { padding: 6px 8px; border: 1px solid #d9d9d9; border-radius: 4px; min-width: 260px; font-family: monospace; }
#member-phone-signing .btn { padding: 6px 16px; border: 2px solid #41444e; border-radius: 4px; background: transparent; font-weight: 700; cursor: pointer; }
#member-phone-signing .btn.authorize { border-color: #49cc90; color: #49cc90; }
#member-phone-signing .member-phone-status { padding: 6px 10px; border-left: 4px solid #d9d9d9; background: #f7f7f7; }
#member-phone-signing .member-phone-status.member-phone-on { border-color: #49cc90; background: #effaf5; }
#member-phone-signing .member-phone-status.member-phone-problem { border-color: #f93e3e; background: #feebeb; }
#member-phone-signing .member-phone-last { padding: 6px 10px; border-left: 4px solid #61affe; background: #eef6ff; }
.member-phone-hmac-note { margin: 8px 0 16px; }
.auth-container:has(.member-phone-hmac-note) .auth-btn-wrapper { display: none; }
`;
