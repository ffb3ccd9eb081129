// tandemctl's names for the block devices a create inspects: the
// inspection lives with the table planning in the library
// (tandem/block_devices.h), shared with tandemd.
#pragma once

#include "tandem/block_devices.h"

namespace tandem::cli {

using BlockDevice = BlockDeviceSize;
using tandem::BlockDevices;
using tandem::HostBlockDevices;

} // namespace tandem::cli
