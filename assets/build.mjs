// Builds the front-end assets Django serves: compiles assets/scss/joinedup.scss and copies only the
// built JavaScript and the images the stylesheet refers to into assets/dist (never node_modules).
// Run with `npm run build` after `npm ci`; it needs no dependencies beyond sass.
import { copyFile, mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import * as sass from "sass";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const nodeModules = path.join(root, "node_modules");
const dist = path.join(root, "assets", "dist");

// Must match STATIC_URL and the $moj-assets-path set in joinedup.scss.
const STATIC_URL = "/static/";

const govukDist = path.join(nodeModules, "govuk-frontend", "dist", "govuk");
const mojDist = path.join(nodeModules, "@ministryofjustice", "frontend", "moj");
// Where an image the CSS refers to may come from, first match wins.
const imageSources = [path.join(mojDist, "assets", "images"), path.join(govukDist, "assets", "images")];

const javascript = [
  [path.join(govukDist, "govuk-frontend.min.js"), "govuk-frontend.min.js"],
  [path.join(mojDist, "moj-frontend.min.js"), "moj-frontend.min.js"],
  [path.join(root, "assets", "js", "joinedup.mjs"), "joinedup.js"],
];

function fail(message) {
  console.error(`assets/build.mjs: ${message}`);
  process.exit(1);
}

// Django's manifest storage follows sourceMappingURL comments; the maps are not shipped, so drop them.
function withoutSourceMap(text) {
  return text.replace(/\n?\/\/# sourceMappingURL=\S+\s*$/, "\n");
}

// GOV.UK Frontend warns about deprecated mixins that MoJ Frontend still calls; that is theirs to fix,
// so those are counted rather than printed. Warnings about our own Sass are still shown.
let dependencyWarnings = 0;
const dependencyWarningsCounted = {
  warn(message, { deprecation, span, stack }) {
    const where = `${span?.url ?? ""}\n${stack ?? ""}`;
    const fromOurSass = where.split("\n").some((line) => line.includes("assets/scss/") && !/root stylesheet/.test(line));
    if (!fromOurSass && /node_modules/.test(where)) {
      dependencyWarnings += 1;
      return;
    }
    console.warn(`${deprecation ? "Deprecation" : "Warning"}: ${message}\n${stack ?? ""}`);
  },
};

async function buildCss() {
  const result = sass.compile(path.join(root, "assets", "scss", "joinedup.scss"), {
    style: "compressed",
    // The repository root is needed because MoJ Frontend loads "node_modules/govuk-frontend/…".
    loadPaths: [root, nodeModules],
    sourceMap: false,
    quietDeps: true,
    logger: dependencyWarningsCounted,
  });
  if (dependencyWarnings > 0) {
    console.log(`(${dependencyWarnings} deprecation warning(s) raised inside the frontend packages were not shown)`);
  }
  const css = result.css;
  if (/@font-face/.test(css) || /GDS Transport/.test(css)) {
    fail("the stylesheet still contains the GOV.UK font (GDS Transport); it is reserved for GOV.UK services");
  }
  await mkdir(path.join(dist, "css"), { recursive: true });
  await writeFile(path.join(dist, "css", "joinedup.css"), css + "\n");
  return css;
}

async function copyReferencedImages(css) {
  const urls = new Set();
  for (const match of css.matchAll(/url\(\s*["']?([^"')]+)["']?\s*\)/g)) {
    const url = match[1];
    if (url.startsWith("data:")) continue;
    if (!url.startsWith(STATIC_URL)) fail(`the stylesheet refers to ${url}, outside ${STATIC_URL}`);
    urls.add(url.slice(STATIC_URL.length).split(/[?#]/)[0]);
  }
  const copied = [];
  for (const relative of [...urls].sort()) {
    if (!relative.startsWith("images/")) fail(`unexpected asset in the stylesheet: ${relative}`);
    const name = relative.slice("images/".length);
    const source = imageSources.map((dir) => path.join(dir, name)).find((file) => existsSync(file));
    if (!source) fail(`the stylesheet refers to ${relative}, which neither frontend package provides`);
    await mkdir(path.join(dist, "images"), { recursive: true });
    await copyFile(source, path.join(dist, relative));
    copied.push(relative);
  }
  return copied;
}

async function copyJavascript() {
  await mkdir(path.join(dist, "js"), { recursive: true });
  for (const [source, name] of javascript) {
    if (!existsSync(source)) fail(`missing ${path.relative(root, source)}; run npm ci first`);
    const text = await readFile(source, "utf8");
    await writeFile(path.join(dist, "js", name), withoutSourceMap(text));
  }
  return javascript.map(([, name]) => `js/${name}`);
}

await rm(dist, { recursive: true, force: true });
const css = await buildCss();
const images = await copyReferencedImages(css);
const scripts = await copyJavascript();
for (const file of ["css/joinedup.css", ...scripts, ...images]) {
  console.log(`assets/dist/${file}`);
}
