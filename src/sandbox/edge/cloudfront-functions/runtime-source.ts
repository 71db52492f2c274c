/**
 * The JavaScript that runs inside each function's node:vm context before the function: the
 * globals and built-in modules CloudFront Functions documents, written in plain JavaScript so
 * that no host (Node) object is ever reachable from function code (a host function's
 * `constructor` would be Node's own `Function`, which ignores the context's ban on `eval`).
 * The host helpers (the hash/HMAC digest, and a clock for compute utilization that the
 * function cannot see) are held in a closure and exchange only strings and numbers.
 *
 * Sources (CloudFront Developer Guide, "JavaScript runtime features for CloudFront Functions",
 * runtime 1.0 and 2.0 pages, https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/functions-javascript-runtime-features.html):
 * - `console.log()` only; function logs are truncated at 10 KB ("Restrictions on CloudFront
 *   Functions", Logs);
 * - `Date` returns the function's start time during the whole run ("Date and timestamps");
 * - no `eval` / `Function` constructor (the context forbids code generation), no timers, no
 *   file system, no network;
 * - modules: `crypto` (createHash/createHmac with md5, sha1, sha256; digest encodings hex,
 *   base64, base64url; without an encoding 1.0 returns a byte string and 2.0 a Buffer),
 *   `querystring` (escape, unescape, parse/decode, stringify/encode), and in 2.0 `buffer`
 *   (Buffer, also a global) and `cloudfront` (`import cf from 'cloudfront'`);
 * - 1.0 only: the non-standard String methods toUTF8/fromUTF8/toBytes/fromBytes and
 *   String.bytesFrom, which 2.0 removed.
 *
 * What the sandbox cannot emulate marks the run `unsupported` (the data plane passes the
 * request through and warns): KeyValueStore reads (`cf.kvs()` get/exists/meta — "Helper methods
 * for key value stores"), the origin-modification helpers (`cf.updateRequestOrigin`,
 * `cf.selectRequestOriginById`, `cf.createRequestOriginGroup` — "Helper methods for origin
 * modification"), `crypto.subtle`, and any other member of the `cloudfront` module.
 * `cf.edgeLocation` ("General helper methods") is a fixed sandbox location on viewer-request
 * and empty on viewer-response, as documented. `request.rawQueryString()` returns the query
 * string as received.
 *
 * It evaluates to `function (hostDigest, hostClock, version) → runtime` where runtime has
 * `setFactory(f)`, `prepare(eventJson, start, rawQuery, eventType)` and `state`; the global
 * `__cf$invoke()` runs the prepared event through the function.
 */
export const RUNTIME_SOURCE = String.raw`(function (hostDigest, hostClock, version) {
  'use strict';
  var G = globalThis;
  var V2 = version === 2;
  var state = { start: 0, logs: [], logBytes: 0, logTruncated: false, unsupported: '', done: false, running: false,
    out: undefined, err: '', eventJson: '', rawQuery: undefined, eventType: '', startedAt: 0, endedAt: 0 };
  var factory = null;
  function hide(obj, name, value) { Object.defineProperty(obj, name, { value: value, writable: true, configurable: true, enumerable: false }); }

  // Not in CloudFront's runtime.
  ['WebAssembly', 'SharedArrayBuffer', 'Atomics', 'FinalizationRegistry', 'WeakRef', 'Intl'].forEach(function (n) { delete G[n]; });

  // ---- Date: the start time of the run -------------------------------------------------
  var RealDate = Date;
  var FrozenDate = function Date() {
    if (new.target === undefined) return new RealDate(state.start).toString();
    return Reflect.construct(RealDate, arguments.length ? Array.prototype.slice.call(arguments) : [state.start], new.target);
  };
  FrozenDate.prototype = RealDate.prototype;
  FrozenDate.now = function now() { return state.start; };
  FrozenDate.parse = RealDate.parse;
  FrozenDate.UTC = RealDate.UTC;
  hide(RealDate.prototype, 'constructor', FrozenDate);
  hide(G, 'Date', FrozenDate);

  // ---- console.log --------------------------------------------------------------------
  var LOG_LIMIT = 10240;
  function show(v) {
    if (typeof v === 'string') return v;
    if (typeof v === 'function') return '[Function' + (v.name ? ': ' + v.name : '') + ']';
    if (v instanceof G.Error) return String(v);
    try { var j = JSON.stringify(v); return j === undefined ? String(v) : j; } catch (e) { return String(v); }
  }
  hide(G, 'console', { log: function log() {
    if (state.logTruncated) return;
    var parts = [];
    for (var i = 0; i < arguments.length; i++) parts.push(show(arguments[i]));
    var line = parts.join(' ');
    if (state.logBytes + line.length > LOG_LIMIT) { line = line.slice(0, Math.max(0, LOG_LIMIT - state.logBytes)); state.logTruncated = true; }
    state.logBytes += line.length;
    state.logs.push(line);
  } });

  // ---- bytes ---------------------------------------------------------------------------
  function utf8Encode(str) {
    var out = [];
    for (var i = 0; i < str.length; i++) {
      var c = str.charCodeAt(i);
      if (c >= 0xd800 && c <= 0xdbff && i + 1 < str.length) {
        var d = str.charCodeAt(i + 1);
        if (d >= 0xdc00 && d <= 0xdfff) { c = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00); i++; }
        else c = 0xfffd;
      } else if (c >= 0xd800 && c <= 0xdfff) c = 0xfffd;
      if (c < 0x80) out.push(c);
      else if (c < 0x800) out.push(0xc0 | (c >> 6), 0x80 | (c & 63));
      else if (c < 0x10000) out.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
      else out.push(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 63), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
    }
    return out;
  }
  /** UTF-8 bytes to a string; invalid sequences become U+FFFD, or the whole result null when strict. */
  function utf8Decode(bytes, strict) {
    var out = '';
    for (var i = 0; i < bytes.length;) {
      var b = bytes[i], need = 0, cp = 0;
      if (b < 0x80) { out += String.fromCharCode(b); i++; continue; }
      if (b >= 0xc2 && b <= 0xdf) { need = 1; cp = b & 31; }
      else if (b >= 0xe0 && b <= 0xef) { need = 2; cp = b & 15; }
      else if (b >= 0xf0 && b <= 0xf4) { need = 3; cp = b & 7; }
      else { if (strict) return null; out += '\ufffd'; i++; continue; }
      var ok = i + need < bytes.length;
      for (var k = 1; ok && k <= need; k++) { var n = bytes[i + k]; if ((n & 0xc0) !== 0x80) ok = false; else cp = (cp << 6) | (n & 63); }
      if (!ok || (need === 2 && cp < 0x800) || (need === 3 && (cp < 0x10000 || cp > 0x10ffff)) || (cp >= 0xd800 && cp <= 0xdfff)) {
        if (strict) return null; out += '\ufffd'; i++; continue;
      }
      out += String.fromCodePoint(cp);
      i += need + 1;
    }
    return out;
  }
  function latin1(bytes) {
    var out = '';
    for (var i = 0; i < bytes.length; i += 4096) out += String.fromCharCode.apply(null, Array.prototype.slice.call(bytes, i, i + 4096));
    return out;
  }
  function fromLatin1(str) { var out = []; for (var i = 0; i < str.length; i++) out.push(str.charCodeAt(i) & 255); return out; }
  var B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  function b64Encode(bytes, url) {
    var out = '';
    for (var i = 0; i < bytes.length; i += 3) {
      var n = (bytes[i] << 16) | ((bytes[i + 1] || 0) << 8) | (bytes[i + 2] || 0);
      out += B64[n >> 18] + B64[(n >> 12) & 63] + (i + 1 < bytes.length ? B64[(n >> 6) & 63] : '=') + (i + 2 < bytes.length ? B64[n & 63] : '=');
    }
    return url ? out.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '') : out;
  }
  function b64Decode(str) {
    var out = [], bits = 0, acc = 0;
    for (var i = 0; i < str.length; i++) {
      var ch = str[i];
      if (ch === '=') break;
      var v = ch === '-' ? 62 : ch === '_' ? 63 : B64.indexOf(ch);
      if (v < 0) continue;
      acc = (acc << 6) | v; bits += 6;
      if (bits >= 8) { bits -= 8; out.push((acc >> bits) & 255); }
    }
    return out;
  }
  function hexEncode(bytes) { var out = ''; for (var i = 0; i < bytes.length; i++) out += (bytes[i] < 16 ? '0' : '') + bytes[i].toString(16); return out; }
  function hexDecode(str) {
    var out = [];
    for (var i = 0; i + 1 < str.length; i += 2) { var v = parseInt(str.substr(i, 2), 16); if (isNaN(v) || !/^[0-9a-fA-F]{2}$/.test(str.substr(i, 2))) break; out.push(v); }
    return out;
  }
  function encoding(enc) {
    var e = String(enc === undefined || enc === null ? 'utf8' : enc).toLowerCase();
    if (e === 'utf8' || e === 'utf-8') return 'utf8';
    if (e === 'binary' || e === 'latin1') return 'latin1';
    if (e === 'hex' || e === 'base64' || e === 'base64url' || e === 'ascii') return e;
    throw new TypeError('Unknown encoding: ' + enc);
  }
  function encodeString(str, enc) {
    switch (encoding(enc)) {
      case 'utf8': return utf8Encode(str);
      case 'hex': return hexDecode(str);
      case 'base64': case 'base64url': return b64Decode(str);
      default: return fromLatin1(str);
    }
  }
  function decodeBytes(bytes, enc) {
    switch (encoding(enc)) {
      case 'utf8': return utf8Decode(bytes, false);
      case 'hex': return hexEncode(bytes);
      case 'base64': return b64Encode(bytes, false);
      case 'base64url': return b64Encode(bytes, true);
      case 'ascii': return latin1(Array.prototype.map.call(bytes, function (b) { return b & 127; }));
      default: return latin1(bytes);
    }
  }

  // ---- Buffer (2.0) --------------------------------------------------------------------
  class Buffer extends Uint8Array {
    static from(value, encOrOffset, length) {
      if (typeof value === 'string') { var bytes = encodeString(value, encOrOffset); var b = new Buffer(bytes.length); b.set(bytes); return b; }
      if (value instanceof ArrayBuffer) { var off = encOrOffset || 0; return new Buffer(value, off, length === undefined ? value.byteLength - off : length); }
      if (value !== null && typeof value === 'object' && typeof value.length === 'number') {
        var out = new Buffer(value.length);
        for (var i = 0; i < value.length; i++) out[i] = value[i] & 255;
        return out;
      }
      throw new TypeError('The first argument must be of type string or an instance of Buffer, ArrayBuffer, or Array or an Array-like Object.');
    }
    static alloc(size, fill, enc) {
      var b = new Buffer(size);
      if (typeof fill === 'string') { var f = encodeString(fill, enc); for (var i = 0; f.length && i < size; i++) b[i] = f[i % f.length]; }
      else if (fill !== undefined) b.fill(fill);
      return b;
    }
    static allocUnsafe(size) { return new Buffer(size); }
    static byteLength(v, enc) { return typeof v === 'string' ? encodeString(v, enc).length : v.byteLength; }
    static isBuffer(v) { return v instanceof Buffer; }
    static isEncoding(e) { try { encoding(e); return true; } catch (err) { return false; } }
    static concat(list, total) {
      var size = total === undefined ? list.reduce(function (n, b) { return n + b.length; }, 0) : total;
      var out = new Buffer(size), at = 0;
      for (var i = 0; i < list.length && at < size; i++) { var part = list[i].subarray(0, size - at); out.set(part, at); at += part.length; }
      return out;
    }
    static compare(a, b) { return a.compare(b); }
    toString(enc, start, end) { return decodeBytes(this.subarray(start || 0, end === undefined ? this.length : end), enc); }
    slice(start, end) { return this.subarray(start, end); }
    equals(other) { return this.compare(other) === 0; }
    compare(other) {
      for (var i = 0; i < Math.min(this.length, other.length); i++) if (this[i] !== other[i]) return this[i] < other[i] ? -1 : 1;
      return this.length === other.length ? 0 : this.length < other.length ? -1 : 1;
    }
    write(str, offset, length, enc) {
      if (typeof offset === 'string') { enc = offset; offset = 0; length = undefined; }
      var bytes = encodeString(str, enc), at = offset || 0, n = Math.min(bytes.length, length === undefined ? this.length - at : length, this.length - at);
      for (var i = 0; i < n; i++) this[at + i] = bytes[i];
      return n;
    }
    toJSON() { return { type: 'Buffer', data: Array.prototype.slice.call(this) }; }
  }
  if (V2) hide(G, 'Buffer', Buffer);

  // ---- 1.0's byte-string methods -------------------------------------------------------
  if (!V2) {
    var range = function (s, start, end) { return s.slice(start || 0, end === undefined ? s.length : end); };
    var isBytes = function (s) { for (var i = 0; i < s.length; i++) if (s.charCodeAt(i) > 255) return false; return true; };
    hide(String.prototype, 'toUTF8', function toUTF8(start, end) { return latin1(utf8Encode(range(String(this), start, end))); });
    hide(String.prototype, 'fromUTF8', function fromUTF8(start, end) { var s = range(String(this), start, end); return isBytes(s) ? utf8Decode(fromLatin1(s), true) : null; });
    hide(String.prototype, 'toBytes', function toBytes(start, end) { var s = range(String(this), start, end); return isBytes(s) ? s : null; });
    hide(String.prototype, 'fromBytes', function fromBytes(start, end) { return range(String(this), start, end); });
    hide(String, 'bytesFrom', function bytesFrom(v, enc) {
      if (Array.isArray(v)) return latin1(v.map(function (b) { return b & 255; }));
      var e = enc === undefined ? 'latin1' : encoding(enc);
      return latin1(e === 'hex' ? hexDecode(String(v)) : e === 'base64' || e === 'base64url' ? b64Decode(String(v)) : fromLatin1(String(v)));
    });
  }

  // ---- unsupported features --------------------------------------------------------------
  function unsupported(what) {
    if (!state.unsupported) state.unsupported = what;
    return new Error(what + ' is not emulated by the edge-install sandbox');
  }

  // ---- crypto ---------------------------------------------------------------------------
  var HASHES = { md5: true, sha1: true, sha256: true };
  var DIGESTS = { hex: true, base64: true, base64url: true };
  function dataString(data, enc) {
    if (typeof data === 'string') return latin1(encodeString(data, enc));
    if (ArrayBuffer.isView(data)) return latin1(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
    throw new TypeError('The "data" argument must be of type string or an instance of Buffer, TypedArray, or DataView.');
  }
  function digester(algorithm, key) {
    var alg = String(algorithm).toLowerCase();
    if (!HASHES[alg]) throw new Error('Digest method not supported');
    var data = '', finished = false;
    var self = {
      update: function update(d, enc) { if (finished) throw new Error('Digest already called'); data += dataString(d, enc); return self; },
      digest: function digest(enc) {
        if (finished) throw new Error('Digest already called');
        if (enc !== undefined && !DIGESTS[enc]) throw new TypeError('Unsupported digest encoding: ' + enc + " (use 'hex', 'base64' or 'base64url')");
        finished = true;
        var r = hostDigest(alg, key, data, enc === undefined ? 'latin1' : enc);
        if (r.charCodeAt(0) === 0) throw new Error(r.slice(1));
        if (enc !== undefined) return r;
        return V2 ? Buffer.from(r, 'latin1') : r;
      },
    };
    return self;
  }
  var crypto = {
    createHash: function createHash(algorithm) { return digester(algorithm, null); },
    createHmac: function createHmac(algorithm, key) { return digester(algorithm, dataString(key, 'utf8')); },
  };
  if (V2) Object.defineProperty(crypto, 'subtle', { enumerable: true, get: function () { throw unsupported('WebCrypto (crypto.subtle)'); } });

  // ---- querystring --------------------------------------------------------------------------
  function unescapeQs(s) {
    try { return decodeURIComponent(s); } catch (e) {
      var bytes = [];
      for (var i = 0; i < s.length; i++) {
        if (s[i] === '%' && /^[0-9a-fA-F]{2}$/.test(s.substr(i + 1, 2))) { bytes.push(parseInt(s.substr(i + 1, 2), 16)); i += 2; }
        else bytes.push.apply(bytes, utf8Encode(s[i]));
      }
      return utf8Decode(bytes, false);
    }
  }
  function primitive(v) {
    if (typeof v === 'string') return v;
    if ((typeof v === 'number' && isFinite(v)) || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
    return '';
  }
  var querystring = {
    escape: function escape(s) { return encodeURIComponent(String(s)); },
    unescape: function unescape(s) { return unescapeQs(String(s)); },
    parse: function parse(str, sep, eq, options) {
      sep = sep || '&'; eq = eq || '=';
      var decode = options && typeof options.decodeURIComponent === 'function' ? options.decodeURIComponent : querystring.unescape;
      var maxKeys = options && typeof options.maxKeys === 'number' ? options.maxKeys : 1000;
      var obj = Object.create(null);
      if (typeof str !== 'string' || str.length === 0) return obj;
      var parts = str.split(sep);
      if (maxKeys > 0 && parts.length > maxKeys) parts = parts.slice(0, maxKeys);
      for (var i = 0; i < parts.length; i++) {
        if (parts[i] === '') continue;
        var at = parts[i].indexOf(eq);
        var k = decode((at >= 0 ? parts[i].slice(0, at) : parts[i]).replace(/\+/g, ' '));
        var v = decode((at >= 0 ? parts[i].slice(at + eq.length) : '').replace(/\+/g, ' '));
        if (!(k in obj)) obj[k] = v; else if (Array.isArray(obj[k])) obj[k].push(v); else obj[k] = [obj[k], v];
      }
      return obj;
    },
    stringify: function stringify(obj, sep, eq, options) {
      sep = sep || '&'; eq = eq || '=';
      var encode = options && typeof options.encodeURIComponent === 'function' ? options.encodeURIComponent : querystring.escape;
      if (obj === null || typeof obj !== 'object') return '';
      var out = [];
      Object.keys(obj).forEach(function (k) {
        var v = obj[k], ks = encode(primitive(k)) + eq;
        if (Array.isArray(v)) v.forEach(function (x) { out.push(ks + encode(primitive(x))); });
        else out.push(ks + encode(primitive(v)));
      });
      return out.join(sep);
    },
  };
  querystring.decode = querystring.parse;
  querystring.encode = querystring.stringify;

  // ---- cloudfront (2.0) ---------------------------------------------------------------------
  var kvsHandle = {
    get: function get() { return Promise.reject(unsupported('CloudFront KeyValueStore (cf.kvs().get)')); },
    exists: function exists() { return Promise.reject(unsupported('CloudFront KeyValueStore (cf.kvs().exists)')); },
    meta: function meta() { return Promise.reject(unsupported('CloudFront KeyValueStore (cf.kvs().meta)')); },
  };
  var cfMembers = {
    kvs: function kvs() { return kvsHandle; },
    updateRequestOrigin: function updateRequestOrigin() { throw unsupported('origin modification (cf.updateRequestOrigin)'); },
    selectRequestOriginById: function selectRequestOriginById() { throw unsupported('origin modification (cf.selectRequestOriginById)'); },
    createRequestOriginGroup: function createRequestOriginGroup() { throw unsupported('origin modification (cf.createRequestOriginGroup)'); },
  };
  Object.defineProperty(cfMembers, 'edgeLocation', { enumerable: true, get: function () {
    return state.eventType === 'viewer-request' ? { name: 'IAD', serverIp: '127.0.0.1', region: 'us-east-1' } : {};
  } });
  var cf = new Proxy(cfMembers, {
    get: function (target, name) {
      if (name in target) return target[name];
      if (typeof name === 'string' && name !== 'then') unsupported('cloudfront module member cf.' + name);
      return undefined;
    },
  });

  function require(name) {
    if (name === 'crypto') return crypto;
    if (name === 'querystring') return querystring;
    if (V2 && name === 'buffer') return { Buffer: Buffer };
    if (V2 && name === 'cloudfront') return cf;
    throw new Error("Cannot find module '" + name + "'");
  }

  // ---- running the handler ----------------------------------------------------------------
  function describe(e) {
    if (e !== null && typeof e === 'object' && typeof e.message === 'string') return (typeof e.name === 'string' && e.name ? e.name + ': ' : '') + e.message;
    return 'Uncaught ' + show(e);
  }
  function finish(v) {
    try { state.out = v === undefined ? undefined : JSON.stringify(v); }
    catch (e) { state.err = 'The function returned a value that cannot be serialised: ' + describe(e); }
    state.done = true;
    state.endedAt = hostClock();
  }
  function failed(e) { state.err = describe(e); state.done = true; state.endedAt = hostClock(); }
  function rawQueryString() { return state.rawQuery; }

  function invoke() {
    if (state.running) throw new Error('already running');
    state.running = true;
    try {
      state.logs = []; state.logBytes = 0; state.logTruncated = false; state.unsupported = '';
      state.done = false; state.out = undefined; state.err = '';
      var event = JSON.parse(state.eventJson);
      if (event !== null && typeof event === 'object' && event.request !== null && typeof event.request === 'object') hide(event.request, 'rawQueryString', rawQueryString);
      var result;
      state.startedAt = hostClock();
      try {
        var handler = factory(require);
        if (typeof handler !== 'function') throw new ReferenceError('handler is not defined: the code must declare function handler(event)');
        result = handler(event);
      } catch (e) { failed(e); return; }
      if (result !== null && (typeof result === 'object' || typeof result === 'function') && typeof result.then === 'function') result.then(finish, failed);
      else finish(result);
    } finally { state.running = false; }
  }
  Object.defineProperty(G, '__cf$invoke', { value: invoke, writable: false, configurable: false, enumerable: false });

  return {
    state: state,
    setFactory: function (f) { factory = f; },
    prepare: function (eventJson, start, rawQuery, eventType) {
      state.eventJson = eventJson; state.start = start; state.rawQuery = rawQuery; state.eventType = eventType;
    },
  };
})`;
