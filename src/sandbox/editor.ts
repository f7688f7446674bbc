/**
 * The code editor of an example: CodeMirror 6 with TypeScript or Python, coloured by the site's own theme
 * variables so that it follows Starlight's light and dark modes. Loaded only when a reader edits.
 */
import { EditorState, type Extension } from '@codemirror/state';
import { EditorView, keymap, lineNumbers, highlightActiveLine, highlightActiveLineGutter, drawSelection } from '@codemirror/view';
import { defaultKeymap, history, historyKeymap, indentWithTab } from '@codemirror/commands';
import { HighlightStyle, syntaxHighlighting, bracketMatching, indentOnInput } from '@codemirror/language';
import { javascript } from '@codemirror/lang-javascript';
import { python } from '@codemirror/lang-python';
import { setDiagnostics, lintGutter } from '@codemirror/lint';
import { tags } from '@lezer/highlight';

/** Token colours come from CSS variables (see book.css), so both themes stay in one place. */
const highlight = HighlightStyle.define([
  { tag: [tags.keyword, tags.controlKeyword, tags.moduleKeyword, tags.operatorKeyword], color: 'var(--book-code-keyword)' },
  { tag: [tags.string, tags.special(tags.string), tags.regexp], color: 'var(--book-code-string)' },
  { tag: [tags.number, tags.bool, tags.null], color: 'var(--book-code-number)' },
  { tag: [tags.comment, tags.lineComment, tags.blockComment], color: 'var(--book-code-comment)', fontStyle: 'italic' },
  { tag: [tags.function(tags.variableName), tags.function(tags.propertyName)], color: 'var(--book-code-function)' },
  { tag: [tags.typeName, tags.className, tags.namespace], color: 'var(--book-code-type)' },
  { tag: [tags.propertyName], color: 'var(--book-code-property)' },
]);

const theme = EditorView.theme({
  '&': {
    color: 'var(--sl-color-white)',
    backgroundColor: 'var(--sl-color-black)',
    fontSize: 'var(--sl-text-code-sm)',
    border: '1px solid var(--sl-color-hairline-light)',
  },
  '&.cm-focused': { outline: '2px solid var(--sl-color-text-accent)', outlineOffset: '1px' },
  '.cm-content': { fontFamily: 'var(--__sl-font-mono)', caretColor: 'var(--sl-color-white)', padding: '0.75rem 0' },
  '.cm-scroller': { maxHeight: '36rem', overflow: 'auto' },
  '.cm-gutters': { backgroundColor: 'var(--sl-color-black)', color: 'var(--sl-color-gray-3)', border: 'none' },
  '.cm-activeLine, .cm-activeLineGutter': { backgroundColor: 'var(--book-editor-active-line)' },
  '&.cm-focused .cm-selectionBackground, .cm-selectionBackground, ::selection': { backgroundColor: 'var(--book-editor-selection)' },
  '.cm-cursor': { borderLeftColor: 'var(--sl-color-white)' },
});

export interface EditorOptions {
  parent: HTMLElement;
  doc: string;
  label: string;
  language: 'typescript' | 'python';
  onChange: (text: string) => void;
  onRun: () => void;
}

export interface CodeEditor {
  text(): string;
  /** Replaces the whole text as one undoable step (so Ctrl+Z brings an edit back after Reset). */
  replace(text: string): void;
  /** Marks a syntax error at an offset, or clears the marks. */
  markError(problem: { offset: number; message: string } | null): void;
  focus(): void;
}

export function createEditor(options: EditorOptions): CodeEditor {
  const runKey = { key: 'Mod-Enter', run: () => (options.onRun(), true) };
  const extensions: Extension[] = [
    lineNumbers(),
    highlightActiveLineGutter(),
    highlightActiveLine(),
    drawSelection(),
    history(),
    indentOnInput(),
    bracketMatching(),
    lintGutter(),
    options.language === 'python' ? python() : javascript({ typescript: true }),
    syntaxHighlighting(highlight),
    theme,
    keymap.of([runKey, ...defaultKeymap, ...historyKeymap, indentWithTab]),
    EditorView.contentAttributes.of({ 'aria-label': options.label }),
    EditorView.updateListener.of((update) => {
      if (update.docChanged) options.onChange(update.state.doc.toString());
    }),
  ];
  const view = new EditorView({ parent: options.parent, state: EditorState.create({ doc: options.doc, extensions }) });
  return {
    text: () => view.state.doc.toString(),
    replace(text) {
      view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } });
    },
    markError(problem) {
      const diagnostics = problem
        ? [{ from: Math.min(problem.offset, view.state.doc.length), to: Math.min(problem.offset + 1, view.state.doc.length), severity: 'error' as const, message: problem.message }]
        : [];
      view.dispatch(setDiagnostics(view.state, diagnostics));
    },
    focus: () => view.focus(),
  };
}
