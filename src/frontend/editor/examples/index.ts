// The examples menu, in the order the editor lists it. Each name has a `<name>.txt` file
// beside this one; the editor controller only serves names listed here, so this array is
// also the allow-list for GET /doc/play/:name.

export interface ExampleInfo {
  name: string;
  title: string;
}

export const EXAMPLES: ExampleInfo[] = [
  { name: 'hello', title: 'Hello, playground' },
  { name: 'sleep', title: 'Sleeps and timers' },
  { name: 'clear', title: 'Clear screen (animation)' },
  { name: 'image', title: 'Display an image' },
  { name: 'multi', title: 'Multiple files' },
  { name: 'test', title: 'Tests and examples' },
];
