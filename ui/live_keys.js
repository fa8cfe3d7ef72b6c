// Keyboard and presentation clicker (ui/liveview.py): → Space PageDown press Step, P PageUp press Play/Pause,
// L the live view's Log scale.
// Clickers also send b and . (blank screen): ignored. Nothing happens while a field or control has focus.
// On a session's first run it also asks for the run that draws the sidebar's widgets, once the page is painted.
const KEYS = new WeakMap();
const ASKED = new WeakSet();
const ACTION = { ArrowRight: 'step', ' ': 'step', PageDown: 'step', p: 'play', P: 'play', PageUp: 'play', l: 'log',
  L: 'log' };
const BUTTON = { step: '.st-key-step button', play: '.st-key-play button', log: '.bpl-log' };
const EDITING = 'input, textarea, select, [contenteditable=""], [contenteditable=true], [role=slider], '
  + '[role=combobox], [role=listbox], [role=option], [role=radio], [role=spinbutton], [role=textbox], [role=menu]';

export default function ({ parentElement, data, setTriggerValue }) {
  if (data && data.sidebar && !ASKED.has(parentElement)) {
    ASKED.add(parentElement);
    whenPainted(data.view, () => setTriggerValue('ready', true));
  }
  if (KEYS.has(parentElement)) return () => release(parentElement);
  const pressed = (e) => {
    if (e.ctrlKey || e.metaKey || e.altKey) return false;
    const focus = document.activeElement;
    if (focus && focus !== document.body && focus.closest(EDITING)) return false;
    if (e.key === 'b' || e.key === 'B' || e.key === '.') return false;
    const action = ACTION[e.key];
    const button = action && document.querySelector(BUTTON[action]);
    return button && !button.disabled && button.offsetParent !== null ? button : false;
  };
  const down = (e) => {
    const button = pressed(e);
    if (!button) return;
    e.preventDefault();                   // no scrolling, and a focused button is not pressed a second time
    e.stopPropagation();
    if (!e.repeat) button.click();
  };
  const up = (e) => { if (pressed(e)) e.preventDefault(); };
  document.addEventListener('keydown', down, true);
  document.addEventListener('keyup', up, true);
  KEYS.set(parentElement, () => {
    document.removeEventListener('keydown', down, true);
    document.removeEventListener('keyup', up, true);
  });
  return () => release(parentElement);
}

// The page is painted when the live view shows its first frame (a page without one: now); at the latest after 3 s.
function whenPainted(view, then) {
  const start = performance.now();
  const look = () => {
    const box = view && document.querySelector('.bpl-live');
    if (!view || Number(box?.dataset.frames || 0) > 0 || performance.now() - start > 3000) {
      requestAnimationFrame(() => then());     // after that frame is on screen
    } else {
      requestAnimationFrame(look);
    }
  };
  requestAnimationFrame(look);
}

function release(element) {
  const off = KEYS.get(element);
  if (off) off();
  KEYS.delete(element);
}
