/*
 * keymap: keys to actions, in one table. See include/keymap.h.
 */
#include "keymap.h"

/* The order is the order help lists them in. */
static const KeyBinding keymap_bindings[] = {
    {KEYMAP_KEY_RIGHT, ACTION_LAMBDA_UP, "→", "Right"},
    {'l', ACTION_LAMBDA_UP, "l", "l"},
    {'+', ACTION_LAMBDA_UP, "+", "+"},
    {'=', ACTION_LAMBDA_UP, "=", "="},
    {KEYMAP_KEY_LEFT, ACTION_LAMBDA_DOWN, "←", "Left"},
    {'h', ACTION_LAMBDA_DOWN, "h", "h"},
    {'-', ACTION_LAMBDA_DOWN, "-", "-"},
    {']', ACTION_STEP_UP, "]", "]"},
    {'[', ACTION_STEP_DOWN, "[", "["},
    {'1', ACTION_LAMBDA_ONE, "1", "1"},
    {KEYMAP_KEY_UP, ACTION_DEPTH_UP, "↑", "Up"},
    {'k', ACTION_DEPTH_UP, "k", "k"},
    {KEYMAP_KEY_DOWN, ACTION_DEPTH_DOWN, "↓", "Down"},
    {'j', ACTION_DEPTH_DOWN, "j", "j"},
    {KEYMAP_KEY_PPAGE, ACTION_DEPTH_UP10, "PgUp", "PgUp"},
    {KEYMAP_KEY_NPAGE, ACTION_DEPTH_DOWN10, "PgDn", "PgDn"},
    {'w', ACTION_WIDTH_UP, "w", "w"},
    {'W', ACTION_WIDTH_DOWN, "W", "W"},
    {'>', ACTION_WIDTH_DOUBLE, ">", ">"},
    {'<', ACTION_WIDTH_HALVE, "<", "<"},
    {'a', ACTION_NEXT_ACT, "a", "a"},
    {'i', ACTION_NEXT_INIT, "i", "i"},
    {'f', ACTION_NEXT_PRECISION, "f", "f"},
    {'s', ACTION_NEW_SEED, "s", "s"},
    {'u', ACTION_NEXT_UPSTREAM, "u", "u"},
    {'y', ACTION_BIAS_UP, "y", "y"},
    {'Y', ACTION_BIAS_DOWN, "Y", "Y"},
    {'A', ACTION_NEXT_ARCH, "A", "A"},
    {'m', ACTION_NEXT_NORM, "m", "m"},
    {'}', ACTION_BRANCH_UP, "}", "}"},
    {'{', ACTION_BRANCH_DOWN, "{", "{"},
    {'g', ACTION_TOGGLE_GRADIENT, "g", "g"},
    {'z', ACTION_TOGGLE_PIN, "z", "z"},
    {' ', ACTION_TOGGLE_PLAY, "Space", "Space"},
    {'n', ACTION_NEXT_STEP, "n", "n"},
    {'N', ACTION_PREV_STEP, "N", "N"},
    {'r', ACTION_RESTORE, "r", "r"},
    {'p', ACTION_PICK, "p", "p"},
    {KEYMAP_KEY_ENTER, ACTION_SELECT, "Enter", "Enter"},
    {'c', ACTION_TOGGLE_CAPTION, "c", "c"},
    {'P', ACTION_TOGGLE_PRESENTER, "P", "P"},
    {'t', ACTION_NEXT_THEME, "t", "t"},
    {'v', ACTION_NEXT_VIEW, "v", "v"},
    {'o', ACTION_TOGGLE_THEORY, "o", "o"},
    {'F', ACTION_TOGGLE_FULL, "F", "F"},
    {'*', ACTION_RATE_UP, "*", "*"},
    {'/', ACTION_RATE_DOWN, "/", "/"},
    {'S', ACTION_SAVE, "S", "S"},
    {'e', ACTION_EXPORT, "e", "e"},
    {'x', ACTION_TOGGLE_CURSOR, "x", "x"},
    {',', ACTION_CURSOR_LEFT, ",", ","},
    {'.', ACTION_CURSOR_RIGHT, ".", "."},
    {KEYMAP_KEY_HOME, ACTION_CURSOR_FIRST, "Home", "Home"},
    {KEYMAP_KEY_END, ACTION_CURSOR_LAST, "End", "End"},
    {'b', ACTION_BASELINE, "b", "b"},
    {'B', ACTION_BASELINE_CLEAR, "B", "B"},
    {'?', ACTION_HELP, "?", "?"},
    {'q', ACTION_QUIT, "q", "q"},
    {KEYMAP_KEY_ESC, ACTION_QUIT, "Esc", "Esc"},
};

#define KEYMAP_COUNT (sizeof keymap_bindings / sizeof keymap_bindings[0])

/* Indexed by Action: {UTF-8 wording, ASCII wording}. */
static const char *const keymap_help[ACTION_COUNT][2] = {
    [ACTION_NONE] = {"", ""},
    [ACTION_LAMBDA_UP] = {"λ += step", "lambda += step"},
    [ACTION_LAMBDA_DOWN] = {"λ −= step", "lambda -= step"},
    [ACTION_STEP_UP] = {"step ×10 (up to 0.1)", "step x10 (up to 0.1)"},
    [ACTION_STEP_DOWN] = {"step ÷10 (down to 0.0001)",
        "step /10 (down to 0.0001)"},
    [ACTION_LAMBDA_ONE] = {"λ = 1 exactly", "lambda = 1 exactly"},
    [ACTION_DEPTH_UP] = {"depth +1", "depth +1"},
    [ACTION_DEPTH_DOWN] = {"depth −1", "depth -1"},
    [ACTION_DEPTH_UP10] = {"depth +10", "depth +10"},
    [ACTION_DEPTH_DOWN10] = {"depth −10", "depth -10"},
    [ACTION_WIDTH_UP] = {"width +1", "width +1"},
    [ACTION_WIDTH_DOWN] = {"width −1", "width -1"},
    [ACTION_WIDTH_DOUBLE] = {"width ×2", "width x2"},
    [ACTION_WIDTH_HALVE] = {"width ÷2", "width /2"},
    [ACTION_NEXT_ACT] = {"next activation", "next activation"},
    [ACTION_NEXT_INIT] = {"next init", "next init"},
    [ACTION_NEXT_PRECISION] = {"next precision", "next precision"},
    [ACTION_NEW_SEED] = {"new seed", "new seed"},
    [ACTION_NEXT_UPSTREAM] = {"upstream gradient: random ↔ ones",
        "upstream gradient: random <-> ones"},
    [ACTION_BIAS_UP] = {"bias std +0.05 (up to 10)",
        "bias std +0.05 (up to 10)"},
    [ACTION_BIAS_DOWN] = {"bias std −0.05 (down to 0)",
        "bias std -0.05 (down to 0)"},
    [ACTION_TOGGLE_GRADIENT] = {"gradient chart: activation ↔ weight gradient",
        "gradient chart: activation <-> weight gradient"},
    [ACTION_TOGGLE_PIN] = {"pin / unpin the scale", "pin / unpin the scale"},
    [ACTION_TOGGLE_PLAY] = {"play / pause: λ sweeps through 1",
        "play / pause: lambda sweeps through 1"},
    [ACTION_NEXT_STEP] = {"next lesson step", "next lesson step"},
    [ACTION_PREV_STEP] = {"previous lesson step", "previous lesson step"},
    [ACTION_RESTORE] = {"restore the step's settings, fresh scale",
        "restore the step's settings, fresh scale"},
    [ACTION_PICK] = {"pick a preset or lesson", "pick a preset or lesson"},
    [ACTION_SELECT] = {"load the preset chosen in the picker",
        "load the preset chosen in the picker"},
    [ACTION_TOGGLE_CAPTION] = {"show / hide the caption box",
        "show / hide the caption box"},
    [ACTION_TOGGLE_PRESENTER] = {"presenter mode: big λ, L and output",
        "presenter mode: big lambda, L and output"},
    [ACTION_NEXT_THEME] = {"next colour theme", "next colour theme"},
    [ACTION_NEXT_VIEW] = {"next view: sweep, map, spectrum, training",
        "next view: sweep, map, spectrum, training"},
    [ACTION_TOGGLE_THEORY] = {"theory overlay: mean-field markers",
        "theory overlay: mean-field markers"},
    [ACTION_SAVE] = {"save as a preset in ~/.config/gradscope/presets",
        "save as a preset in ~/.config/gradscope/presets"},
    [ACTION_EXPORT] = {"export the table (.csv) and chart (.svg) here",
        "export the table (.csv) and chart (.svg) here"},
    [ACTION_NEXT_ARCH] = {"next block: plain, residual",
        "next block: plain, residual"},
    [ACTION_NEXT_NORM] = {"next norm: none, layer, rms",
        "next norm: none, layer, rms"},
    [ACTION_BRANCH_UP] = {"branch scale up: 0 1/√L .1 .25 .5 1 2",
        "branch scale up: 0 1/sqrt(L) .1 .25 .5 1 2"},
    [ACTION_BRANCH_DOWN] = {"branch scale down the same cycle",
        "branch scale down the same cycle"},
    [ACTION_HELP] = {"help", "help"},
    [ACTION_QUIT] = {"quit (closes help when open)",
        "quit (closes help when open)"},
    [ACTION_TOGGLE_FULL] = {"λ sweep: all λ / around λc",
        "lambda sweep: all lambda / around lambda_c"},
    [ACTION_TOGGLE_CURSOR] = {"layer cursor and its readout on / off",
        "layer cursor and its readout on / off"},
    [ACTION_CURSOR_LEFT] = {"cursor one column left", "cursor one column left"},
    [ACTION_CURSOR_RIGHT] = {"cursor one column right",
        "cursor one column right"},
    [ACTION_CURSOR_FIRST] = {"cursor to layer 0", "cursor to layer 0"},
    [ACTION_CURSOR_LAST] = {"cursor to layer L", "cursor to layer L"},
    [ACTION_BASELINE] = {"pin these curves as the baseline (again: replace)",
        "pin these curves as the baseline (again: replace)"},
    [ACTION_BASELINE_CLEAR] = {"clear the baseline", "clear the baseline"},
    [ACTION_RATE_UP] = {"training: learning rate ×√10 (up to ×1000)",
        "training: learning rate x sqrt(10) (up to x1000)"},
    [ACTION_RATE_DOWN] = {"training: learning rate ÷√10 (down to ÷1000)",
        "training: learning rate / sqrt(10) (down to /1000)"},
};

Action keymap_lookup(int key)
{
	size_t i;

	for (i = 0; i < KEYMAP_COUNT; i++)
		if (keymap_bindings[i].key == key)
			return keymap_bindings[i].action;
	return ACTION_NONE;
}

const KeyBinding *keymap_table(size_t *count)
{
	*count = KEYMAP_COUNT;
	return keymap_bindings;
}

const char *keymap_action_help(Action a, int ascii)
{
	if ((unsigned)a >= ACTION_COUNT)
		return "";
	return keymap_help[a][ascii ? 1 : 0];
}
