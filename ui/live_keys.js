// Keyboard and presentation clicker (ui/liveview.py): → Space PageDown press Step, P PageUp press Play/Pause,
// L the live view's Log scale.
// Clickers also send b and . (blank screen): ignored. Nothing happens while a field or control has focus.
const KEYS = new WeakMap();
const ACTION = { ArrowRight: 'step', ' ': 'step', PageDown: 'step', p: 'play', P: 'play', PageUp: 'play', l: 'log',
  L: 'log' };
const BUTTON = { step: '.st-key-step button', play: '.st-key-play button', log: '.bpl-log' };
const EDITING = 'input, textarea, select, [contenteditable=""], [contenteditable=true], [role=slider], '
  + '[role=combobox], [role=listbox], [role=option], [role=radio], [role=spinbutton], [role=textbox], [role=menu]';

export default function ({ parentElement }) {
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

function release(element) {
  const off = KEYS.get(element);
  if (off) off();
  KEYS.delete(element);
}
