//! One view per component: each draws its pane (or layer) from the core's
//! state into a buffer area, through the painter. The core never sees them.

pub mod list;
pub mod overlays;
pub mod reading;
pub mod results;
pub mod sidebar;
pub mod status;
