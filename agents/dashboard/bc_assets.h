//  bc_assets - the dashboard's stylesheet and script, built into the binary
//
//  Generated at build time from assets/dashboard.css and assets/dashboard.js
//  (embed.cmake), so that every page is served whole by the binary with no
//  external file, and the sources stay ordinary files. Each array is
//  NUL-terminated; its size excludes the NUL. Read-only: any thread.
#ifndef BC_ASSETS_H_INCLUDED
#define BC_ASSETS_H_INCLUDED

#include <stddef.h>

extern const unsigned char bc_assets_css[];    //  assets/dashboard.css
extern const size_t bc_assets_css_size;
extern const unsigned char bc_assets_js[];     //  assets/dashboard.js
extern const size_t bc_assets_js_size;

#endif
