// Zoom and pan for the hierarchy drawing (views/tree/show.hbs). The server draws the whole tree
// as SVG; this script only moves the SVG's viewBox: it fits the drawing into the window on load,
// brings the searched chain into view, and answers the wheel, dragging, the toolbar's buttons and
// the keyboard. Without it the page still works: the drawing is then shown at its own size in a
// scrolling box. Served from our own origin, as the Content-Security-Policy asks (no inline script).
(function () {
  'use strict';

  const frame = document.querySelector('[data-tree-frame]');
  const svg = frame && frame.querySelector('svg');
  if (!svg || !svg.viewBox || !svg.viewBox.baseVal) return;
  const toolbar = document.querySelector('[data-tree-toolbar]');
  const full = { w: svg.viewBox.baseVal.width, h: svg.viewBox.baseVal.height };

  /** Below this the frame is not shrunk to fit the window; the page scrolls instead. */
  const MIN_HEIGHT = 320;
  /** Room left under the frame, in pixels. */
  const MARGIN = 16;
  /** At most this many screen pixels per drawing unit: three times the drawing's own size. */
  const MAX_SCALE = 3;
  /** Room around the searched chain when it is brought into view, in pixels. */
  const PAD = 32;
  /** How far one arrow key moves the drawing, in pixels. */
  const STEP = 80;

  /** What is shown: the drawing's point at the frame's top-left corner, and screen pixels per unit. */
  let view = { x: 0, y: 0, s: 1 };

  const round = (n) => Math.round(n * 100) / 100;
  const clamp = (n, low, high) => Math.min(Math.max(n, low), high);
  const frameSize = () => ({ w: frame.clientWidth, h: frame.clientHeight });
  /** The scale at which the whole drawing fits, never above its own size. */
  const fitScale = () => {
    const { w, h } = frameSize();
    return Math.min(1, w / full.w, h / full.h);
  };
  const minScale = () => fitScale() / 2;

  function apply() {
    const { w, h } = frameSize();
    const vw = w / view.s;
    const vh = h / view.s;
    // Some of the drawing always stays in the frame, however far it is dragged.
    const keep = 60 / view.s;
    view.x = clamp(view.x, keep - vw, full.w - keep);
    view.y = clamp(view.y, keep - vh, full.h - keep);
    svg.setAttribute('viewBox', `${round(view.x)} ${round(view.y)} ${round(vw)} ${round(vh)}`);
    frame.setAttribute('data-scale', String(round(view.s)));
  }

  function centreOn(cx, cy, s) {
    const { w, h } = frameSize();
    view = { s, x: cx - w / 2 / s, y: cy - h / 2 / s };
    apply();
  }

  function fit() {
    centreOn(full.w / 2, full.h / 2, fitScale());
  }

  /** Zooms by `factor` keeping the drawing's point under (px, py), in frame pixels, where it is. */
  function zoomAt(factor, px, py) {
    const s = clamp(view.s * factor, minScale(), MAX_SCALE);
    const ux = view.x + px / view.s;
    const uy = view.y + py / view.s;
    view = { s, x: ux - px / s, y: uy - py / s };
    apply();
  }

  function zoomCentre(factor) {
    const { w, h } = frameSize();
    zoomAt(factor, w / 2, h / 2);
  }

  function pan(dx, dy) {
    view.x -= dx / view.s;
    view.y -= dy / view.s;
    apply();
  }

  /** The boxes (their first rect) of the nodes matching `selector`, in drawing units. */
  function boxes(selector) {
    return Array.from(svg.querySelectorAll(selector), (node) => node.querySelector('rect'))
      .filter((rect) => rect !== null)
      .map((rect) => ({
        x: Number(rect.getAttribute('x')),
        y: Number(rect.getAttribute('y')),
        w: Number(rect.getAttribute('width')),
        h: Number(rect.getAttribute('height')),
      }));
  }

  function bounds(list) {
    const x0 = Math.min(...list.map((b) => b.x));
    const y0 = Math.min(...list.map((b) => b.y));
    const x1 = Math.max(...list.map((b) => b.x + b.w));
    const y1 = Math.max(...list.map((b) => b.y + b.h));
    return { x: x0, y: y0, w: x1 - x0, h: y1 - y0 };
  }

  /**
   * Brings the search's hits into view: the whole chain from the carrier down when it can be read
   * whole (at least 60% of its size), else the hits themselves, centred. False when there are none.
   */
  function focusHits() {
    const hits = boxes('g.node.hit');
    if (hits.length === 0) return false;
    const { w, h } = frameSize();
    for (const list of [hits.concat(boxes('g.node.on-path')), hits]) {
      const b = bounds(list);
      const s = Math.min(1, (w - 2 * PAD) / Math.max(b.w, 1), (h - 2 * PAD) / Math.max(b.h, 1));
      if (s >= 0.6 || list === hits) {
        centreOn(b.x + b.w / 2, b.y + b.h / 2, clamp(s, minScale(), MAX_SCALE));
        return true;
      }
    }
    return false;
  }

  /** The frame fills the window below it (at least MIN_HEIGHT), but is no taller than the fitted drawing. */
  function sizeFrame() {
    const top = frame.getBoundingClientRect().top + window.scrollY;
    const room = Math.max(MIN_HEIGHT, window.innerHeight - top - MARGIN);
    const natural = full.h * Math.min(1, frame.clientWidth / full.w);
    frame.style.height = `${Math.ceil(Math.min(room, Math.max(natural, 120)))}px`;
  }

  // The drawing now fills the frame, and the viewBox decides what is shown.
  svg.removeAttribute('width');
  svg.removeAttribute('height');
  frame.classList.add('zoomable');
  frame.tabIndex = 0;
  if (toolbar) toolbar.hidden = false;
  sizeFrame();
  if (!focusHits()) fit();

  if (toolbar) {
    toolbar.addEventListener('click', (event) => {
      const button = event.target.closest('button[data-zoom]');
      if (!button) return;
      const action = button.getAttribute('data-zoom');
      if (action === 'in') zoomCentre(1.25);
      else if (action === 'out') zoomCentre(0.8);
      else if (action === 'fit') fit();
      else if (action === 'hit') focusHits();
    });
  }

  frame.addEventListener(
    'wheel',
    (event) => {
      event.preventDefault();
      const rect = frame.getBoundingClientRect();
      // A line of wheel is about 40 pixels; either way one notch zooms by about 10%.
      const delta = event.deltaMode === 1 ? event.deltaY * 40 : event.deltaY;
      zoomAt(Math.exp(-delta * 0.002), event.clientX - rect.left, event.clientY - rect.top);
    },
    { passive: false },
  );

  // Dragging pans; a press that hardly moves stays a click on a box's link or toggle.
  let drag = null;
  let swallowClick = false;
  frame.addEventListener('pointerdown', (event) => {
    swallowClick = false;
    if (event.button !== 0) return;
    drag = { id: event.pointerId, x: event.clientX, y: event.clientY, moved: false };
  });
  frame.addEventListener('pointermove', (event) => {
    if (!drag || event.pointerId !== drag.id) return;
    const dx = event.clientX - drag.x;
    const dy = event.clientY - drag.y;
    if (!drag.moved) {
      if (Math.hypot(dx, dy) < 4) return;
      drag.moved = true;
      frame.setPointerCapture(event.pointerId);
      frame.classList.add('dragging');
    }
    drag.x = event.clientX;
    drag.y = event.clientY;
    pan(dx, dy);
  });
  const endDrag = (event) => {
    if (!drag || event.pointerId !== drag.id) return;
    swallowClick = drag.moved;
    drag = null;
    frame.classList.remove('dragging');
  };
  frame.addEventListener('pointerup', endDrag);
  frame.addEventListener('pointercancel', endDrag);
  frame.addEventListener(
    'click',
    (event) => {
      if (!swallowClick) return;
      swallowClick = false;
      event.preventDefault();
      event.stopPropagation();
    },
    true,
  );

  frame.addEventListener('keydown', (event) => {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    const moves = { ArrowLeft: [STEP, 0], ArrowRight: [-STEP, 0], ArrowUp: [0, STEP], ArrowDown: [0, -STEP] };
    if (moves[event.key]) pan(...moves[event.key]);
    else if (event.key === '+' || event.key === '=') zoomCentre(1.25);
    else if (event.key === '-' || event.key === '_') zoomCentre(0.8);
    else if (event.key === '0') fit();
    else return;
    event.preventDefault();
  });

  window.addEventListener('resize', () => {
    const { w, h } = frameSize();
    const centre = { x: view.x + w / 2 / view.s, y: view.y + h / 2 / view.s };
    sizeFrame();
    centreOn(centre.x, centre.y, clamp(view.s, minScale(), MAX_SCALE));
  });
})();
