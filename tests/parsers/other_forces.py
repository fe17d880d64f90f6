"""What a person reads on the 40 real pages of other forces: reference, where it is, month.

Written by hand from the sample texts and URLs (not by running the parser), following
/work/shared/platform.md on how each force prints its reference. `source` is "text" when
the page prints the reference, "url" when only the URL slug carries it.
"""

from __future__ import annotations

# url -> (reference, source, month)
EXPECTED: dict[str, tuple[str | None, str | None, str | None]] = {
    "https://www.gwent.police.uk/foi-ai/gwent-police/disclosure2/2025/202528825---self-declared-religion-officers-and-staff/": (
        "2025/28825",
        "url",
        None,
    ),
    "https://www.dyfed-powys.police.uk/foi-ai/dyfed-powys-police/disclosure-2024/april/shoplifting-incidents-7524/": (
        "75/24",
        "text",
        "2024-04",
    ),
    "https://www.dyfed-powys.police.uk/foi-ai/dyfed-powys-police/disclosure-2024/april/royalty-protection-provisions-23524/": (
        "235/2024",
        "text",
        "2024-04",
    ),
    "https://www.cleveland.police.uk/foi-ai/cleveland-police/disclosure/2025/april/foi-41625-children-in-domestic-abuse-incidents/": (
        "416-25",
        "text",
        "2025-04",
    ),
    "https://www.cleveland.police.uk/foi-ai/cleveland-police/disclosure/2024/july/foi-70024-force-firearms/": (
        "700-24",
        "text",
        "2024-07",
    ),
    "https://www.cleveland.police.uk/foi-ai/cleveland-police/disclosure/2024/april/foi-422-24-drones/": (
        "422-24",
        "text",
        "2024-04",
    ),
    "https://www.devon-cornwall.police.uk/foi-ai/devon--cornwall-police/disclosure-logs/2025-disclosures/maritime-police-unit/": (
        "01/FOI/24/007183/S",
        "text",
        None,
    ),
    "https://www.dyfed-powys.police.uk/foi-ai/dyfed-powys-police/disclosure-2026/april/psd-investigations-1482026/": (
        "148/2026",
        "text",
        "2026-04",
    ),
    "https://www.dyfed-powys.police.uk/foi-ai/dyfed-powys-police/disclosure-2024/august/predictive-policing-5782024/": (
        "578/2024",
        "text",
        "2024-08",
    ),
    "https://www.dyfed-powys.police.uk/foi-ai/dyfed-powys-police/disclosure-2026/january/police-staff-misconduct-12372025/": (
        "1237/2025",
        "text",
        "2026-01",
    ),
    "https://www.dyfed-powys.police.uk/foi-ai/dyfed-powys-police/disclosure-2025/november/misconduct-reports-8952025/": (
        "895/2025",
        "text",
        "2025-11",
    ),
    "https://www.dyfed-powys.police.uk/cy-GB/foi-ai/heddlu-dyfed-powys/datgeliadau-2025/ebrill/licence-plate-offences-3872025/": (
        "387/25",
        "text",
        "2025-04",
    ),
    "https://www.dyfed-powys.police.uk/cy-GB/foi-ai/heddlu-dyfed-powys/datgeliadau-2025/ebrill/police-officer-misconduct-3442025/": (
        "344/2025",
        "text",
        "2025-04",
    ),
    "https://www.dyfed-powys.police.uk/foi-ai/dyfed-powys-police/disclosure-2024/october/theft-at-a-construction-site-9852024/": (
        "985/2024",
        "text",
        "2024-10",
    ),
    "https://www.dyfed-powys.police.uk/cy-GB/foi-ai/heddlu-dyfed-powys/disclosure2022/november/auditors-visits-at-police-stations-7832022/": (
        "783/2022",
        "text",
        "2022-11",
    ),
    "https://www.dyfed-powys.police.uk/foi-ai/dyfed-powys-police/disclosure-2025/april/facial-recognition-technology-4122025/": (
        "412/25",
        "text",
        "2025-04",
    ),
    "https://www.essex.police.uk/foi-ai/essex-police/other-information/previous-foi-requests/droneunmanned-aerial-vehicle-operations-2020-2021/": (
        "16188",
        "text",
        None,
    ),
    "https://www.essex.police.uk/foi-ai/essex-police/other-information/previous-foi-requests/vehicle-fleet---fuel-and-maintenance-costselectric-vehicle-implementation/": (
        "15453",
        "text",
        None,
    ),
    "https://www.essex.police.uk/foi-ai/essex-police/other-information/answers-to-previous-foi-requests/policies-and-guidance-on-use-of-body-worn-video/": (
        "18280",
        "text",
        None,
    ),
    "https://www.gwent.police.uk/foi-ai/gwent-police/disclosure2/2022/12---december/202225597---facial-recognition/": (
        "2022/25597",
        "url",
        "2022-12",
    ),
    "https://www.gwent.police.uk/foi-ai/gwent-police/disclosure2/2022/07---july/202225222---sexual-offences/": (
        "2022/25222",
        "url",
        "2022-07",
    ),
    "https://www.northyorkshire.police.uk/foi-ai/north-yorkshire-police/foi-disclosure-2021-22/november-2024/foi-taser-costs-161-202425/": (
        "0161.2024-25",
        "url",
        "2024-11",
    ),
    "https://www.northyorkshire.police.uk/foi-ai/north-yorkshire-police/foi-disclosure-2021-22/june-2024/foi-fleet-disposal-methods-140-202425/": (
        "0140.2024-25",
        "url",
        "2024-06",
    ),
    "https://northyorkshire.police.uk/foi-ai/north-yorkshire-police/foi-disclosure-2021-22/january-2026/foi-0260-202425---dangerous-dogs/": (
        "0260.2024-25",
        "url",
        "2026-01",
    ),
    "https://www.northyorkshire.police.uk/foi-ai/north-yorkshire-police/foi-disclosure-2021-22/january-2025/foi-stop-searches-1040-202324/": (
        "1040.2023-24",
        "url",
        "2025-01",
    ),
    "https://www.northants.police.uk/foi-ai/northamptonshire-police/disclosure-logs/2025/may/foi-8057-25-tool-theft-data/": (
        "8057-25",
        "url",
        "2025-05",
    ),
    "https://www.northants.police.uk/foi-ai/northamptonshire-police/disclosure-logs/2025/february/foi-940-25-crime-statistics/": (
        "940-25",
        "url",
        "2025-02",
    ),
    "https://www.south-wales.police.uk/foi-ai/south-wales-police/disclosure-log/2025/march/foi-1432-24/": (
        "1432/24",
        "url",
        "2025-03",
    ),
    "https://www.south-wales.police.uk/foi-ai/south-wales-police/disclosure-log/2025/july/foi-80025/": (
        "800/25",
        "url",
        "2025-07",
    ),
    "https://www.south-wales.police.uk/foi-ai/south-wales-police/disclosure-log/2025/july/foi-71025/": (
        "710/25",
        "url",
        "2025-07",
    ),
    "https://www.south-wales.police.uk/foi-ai/south-wales-police/disclosure-log/2025/june/foi-66625/": (
        "666/25",
        "url",
        "2025-06",
    ),
    "https://www.south-wales.police.uk/foi-ai/south-wales-police/disclosure-log/2025/august/foi-82525/": (
        "825/25",
        "url",
        "2025-08",
    ),
    "https://www.south-wales.police.uk/foi-ai/south-wales-police/disclosure-log/2025/june/foi-52925/": (
        "529/25",
        "url",
        "2025-06",
    ),
    "https://www.south-wales.police.uk/foi-ai/south-wales-police/disclosure-log/2025/june/foi-49225/": (
        "492/25",
        "url",
        "2025-06",
    ),
    "https://www.warwickshire.police.uk/foi-ai/warwickshire-police/foi-disclosure-2025/january-2025/foi-8-2025--jan-2025--protest-arrests/": (
        "8-2025",
        "text",
        "2025-01",
    ),
    "https://www.warwickshire.police.uk/foi-ai/warwickshire-police/foi-disclosure-2024/july-2024/foi-611-2024--july-2024--fleet/": (
        "611-2024",
        "text",
        "2024-07",
    ),
    "https://www.warwickshire.police.uk/foi-ai/warwickshire-police/foi-disclosure-2024/february-2024/foi-260-2024--feb-2024--aggression/": (
        "FOI-260-2024",
        "text",
        "2024-02",
    ),
    "https://www.warwickshire.police.uk/foi-ai/warwickshire-police/foi-disclosure-2025/june-2025/foi-606-2025--june-2025--vehicle-procurement/": (
        "606-2025",
        "text",
        "2025-06",
    ),
    "https://www.warwickshire.police.uk/foi-ai/warwickshire-police/foi-disclosure-2023/april-2023/foi-420-2023--april-2023--cycle-to-work-scheme/": (
        "420-2023",
        "text",
        "2023-04",
    ),
    "https://www.warwickshire.police.uk/foi-ai/warwickshire-police/foi-disclosure-2023/october-2023/foi-982-2023--oct-2023--foi-request/": (
        "982-2023",
        "text",
        "2023-10",
    ),
}
