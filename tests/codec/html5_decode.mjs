// SPDX-License-Identifier: MIT
//
// Decode our QUIC and LZ output with spice-html5's own decoders, the way
// its display channel does (SpiceImage.from_dv on a SPICE image: QUIC via
// quic.js, LZ_RGB via lz.js convert_spice_lz_to_web), and require every
// pixel to equal the input.  TAP output, then "N passed, N failed".
//
//   node html5_decode.mjs DIR
//
// DIR is written by `codec-unit --dump DIR`: manifest.txt lines
// "NAME W H ALPHA" and NAME.raw (B, G, R, A bytes), NAME.quic, NAME.lz.
// spice-html5 comes from SPICE_HTML5_DIR (default /usr/share/spice-html5);
// its files are ES modules without a package.json, so they are copied to a
// temporary directory that has one.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const dir = process.argv[2];
if (!dir) {
    console.error('usage: node html5_decode.mjs DIR');
    process.exit(2);
}
const html5 = process.env.SPICE_HTML5_DIR || '/usr/share/spice-html5';
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'qnc-html5-'));
for (const f of fs.readdirSync(html5)) {
    if (f.endsWith('.js'))
        fs.copyFileSync(path.join(html5, f), path.join(tmp, f));
}
fs.writeFileSync(path.join(tmp, 'package.json'), '{"type": "module"}\n');
const mod = (f) => import(pathToFileURL(path.join(tmp, f)).href);
const { SpiceImage } = await mod('spicetype.js');
const { SpiceDataView } = await mod('spicedataview.js');
const { convert_spice_lz_to_web } = await mod('lz.js');

const SPICE_IMAGE_TYPE_QUIC = 1;
const SPICE_IMAGE_TYPE_LZ_RGB = 101;

// A SpiceImage on the wire: descriptor (u64 id, u8 type, u8 flags,
// u32 width, u32 height), u32 data_size, data.
function spiceImage(type, w, h, data) {
    const buf = new ArrayBuffer(18 + 4 + data.length);
    const dv = new DataView(buf);
    dv.setUint32(0, 0x1234, true);
    dv.setUint8(8, type);
    dv.setUint32(10, w, true);
    dv.setUint32(14, h, true);
    dv.setUint32(18, data.length, true);
    new Uint8Array(buf, 22).set(data);
    const img = new SpiceImage();
    img.from_dv(new SpiceDataView(buf), 0, buf);
    return img;
}

// What a canvas 2D context gives spice-html5 for createImageData.
const fakeContext = {
    createImageData(w, h) {
        return { width: w, height: h, data: new Uint8ClampedArray(w * h * 4) };
    },
};

function firstDiff(n, get, want) {
    for (let i = 0; i < n; i++)
        if (get(i) !== want(i))
            return i;
    return -1;
}

let passed = 0, failed = 0, count = 0;
function result(ok, what) {
    count++;
    if (ok)
        passed++;
    else
        failed++;
    console.log(`${ok ? 'ok' : 'not ok'} ${count} - ${what}`);
}

console.log('TAP version 13');
const lines = fs.readFileSync(path.join(dir, 'manifest.txt'), 'utf8')
    .split('\n').filter((l) => l.trim());
for (const line of lines) {
    const [name, ws, hs, as] = line.split(/\s+/);
    const w = Number(ws), h = Number(hs), alpha = as === '1';
    const raw = fs.readFileSync(path.join(dir, `${name}.raw`));
    const n = w * h * 4;

    // QUIC: the decoder writes B, G, R, A|0 bytes, like the input.
    try {
        const quic = fs.readFileSync(path.join(dir, `${name}.quic`));
        const img = spiceImage(SPICE_IMAGE_TYPE_QUIC, w, h, quic);
        const q = img.quic;
        const out = q && q.outptr;
        let diff = -2;
        if (out && q.width === w && q.height === h && q.type === (alpha ? 5 : 4)) {
            diff = firstDiff(n, (i) => ((i & 3) === 3 && !alpha) ? 0 : out[i],
                (i) => ((i & 3) === 3 && !alpha) ? 0 : raw[i]);
        }
        result(diff === -1, `${name} quic decoded by spice-html5` +
            (diff >= 0 ? ` (pixel ${diff >> 2} differs)` : diff === -2 ? ' (decoder failed)' : ''));
    } catch (e) {
        result(false, `${name} quic decoded by spice-html5 (threw: ${e})`);
    }

    // LZ_RGB: canvas RGBA, alpha 255 for RGB32.
    try {
        const lz = fs.readFileSync(path.join(dir, `${name}.lz`));
        const img = spiceImage(SPICE_IMAGE_TYPE_LZ_RGB, w, h, lz);
        const l = img.lz_rgb;
        const data = l && l.width === w && l.height === h ?
            convert_spice_lz_to_web(fakeContext, l) : undefined;
        let diff = -2;
        if (data) {
            const px = data.data;
            const map = [2, 1, 0, 3];
            diff = firstDiff(n, (i) => px[i],
                (i) => ((i & 3) === 3 && !alpha) ? 255 : raw[(i & ~3) + map[i & 3]]);
        }
        result(diff === -1, `${name} lz decoded by spice-html5` +
            (diff >= 0 ? ` (pixel ${diff >> 2} differs)` : diff === -2 ? ' (decoder failed)' : ''));
    } catch (e) {
        result(false, `${name} lz decoded by spice-html5 (threw: ${e})`);
    }
}
fs.rmSync(tmp, { recursive: true, force: true });
console.log(`1..${count}`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed || !count ? 1 : 0);
