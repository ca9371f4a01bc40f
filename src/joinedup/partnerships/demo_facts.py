"""The partnerships named in the source reports (shared/seeds), with facts stated there only: the data
`partnerships.demo` loads into the register (the organisations they name are core's, in
`core/demo_seed_facts.py`).

Seed files are listed in `core/demo_seed_facts.py`. Nothing here is invented: `facts` quotes or
paraphrases the seeds, and `source` gives the seed section.
"""

from __future__ import annotations

SEED_PARTNERSHIP_FACTS: tuple[dict[str, str], ...] = (
    {
        "name": "Warwickshire and West Mercia Strategic Alliance",
        "source": "seeds 001 A.9 (also A.8; 004 s.2)",
        "members": "West Mercia Police, Warwickshire Police, West Mercia OPCC, Warwickshire OPCC",
        "facts": (
            "Ratified by the two police authorities in June 2011 with a costs and savings ratio of 69:31 "
            "(West Mercia : Warwickshire); the Strategic Alliance Collaboration Agreement is dated 13 "
            "March 2012. The forces needed to save a combined total of more than £30m. By October 2014 the "
            "alliance was projected to save £34.2m over the spending review period, after West Mercia "
            "identified in 2013/14 a need to save another £4m above the original blueprint. HMIC expected "
            "collaboration to provide 47 percent of West Mercia's 2014/15 savings requirement, against 10 "
            "percent for England and Wales. Functions sit in four directorates; by September 2014, 83% of "
            "final posts had been created. 650 posts were reported as being lost, while West Mercia's "
            "chief constable estimated 280 posts could be kept because of the alliance. Crime fell 17% in "
            "West Mercia and 15% in Warwickshire between 2010 and 2014; victim satisfaction was 84.7% "
            "(West Mercia) and 83.8% (Warwickshire). The Police Foundation published an independent review "
            "in November 2014."
        ),
    },
    {
        "name": "Humberside police and fire vehicle maintenance site",
        "source": "seeds 001 A.4",
        "members": "Humberside Police, Humberside Fire and Rescue, Humberside OPCC",
        "facts": (
            "The outgoing Police Authority had prepared an £8m building for the force, largely a vehicle "
            "maintenance depot, while the fire service planned a similar project 5 miles away. In October "
            "2013 a joint plan was agreed to maintain police and fire vehicles across the Humber and "
            "Yorkshire region. The site lets Humberside Police consolidate departments from seven sites "
            "into one; estimated further savings are approximately £200k per year for the two "
            "organisations, plus reduced energy and running costs of around £69k per year. The building "
            "also houses the Yorkshire and Humber regional underwater rescue unit. Police and fire also "
            "collaborate on fuel bunkering (with two local authorities), Community Safety Volunteers and "
            "driver training."
        ),
    },
    {
        "name": "Crowle police contact point",
        "source": "seeds 001 A.4",
        "members": "Humberside Police, Humberside OPCC, North Lincolnshire Council",
        "facts": (
            "The first police contact point in a public building opened in March 2014 at the Community Hub "
            "in Crowle, North Lincolnshire, with a PCSO based there every Monday. North Lincolnshire "
            "Council already funds five PCSOs across its area."
        ),
    },
    {
        "name": "Humberside child sexual exploitation awareness campaign",
        "source": "seeds 001 A.4",
        "members": "Humberside OPCC, Crimestoppers",
        "facts": (
            "Run with Crimestoppers and the High Sheriff of East Yorkshire, using posters, literature and "
            "the website www.notinourcommunity.org, with roadshows across the force area. The PCC invested "
            "£25,000 in developing the campaign and wrote to the chairs of all four safeguarding children "
            "boards in the area."
        ),
    },
    {
        "name": "Surrey, Sussex and Thames Valley victims' referral framework",
        "source": "seeds 001 A.7; 004 s.3",
        "members": "Surrey OPCC, Sussex OPCC, Thames Valley OPCC",
        "facts": (
            "PCCs took on commissioning of victim referral, assessment and non-specialist services from "
            "April 2015. Surrey co-ordinated the three OPCCs, which jointly researched, specified and went "
            "to market, and opened the specification as a framework other PCCs can call off; the Eastern "
            "region lent its consultants. At the time of writing 13 OPCCs appeared likely to call off from "
            "the framework. The cost of procurement for the three founding members is estimated to have "
            "exceeded £100,000. The three share a joint contact centre, and Surrey leads an officer-level "
            "group of OPCCs using the contract or supplier."
        ),
    },
    {
        "name": "Surrey countywide domestic abuse commissioning group",
        "source": "seeds 001 A.7",
        "members": "Surrey OPCC, Surrey County Council",
        "facts": (
            "The group jointly commissions outreach services and holds providers to account. OPCC research "
            "contributed to Surrey County Council's decision to invest an extra £200,000 in services for "
            "children and young people, and the OPCC and council developed a joint specification. All of "
            "Surrey's bids to the Ministry of Justice competed fund for specialist services were "
            "successful."
        ),
    },
    {
        "name": "North Yorkshire, Cleveland and Durham strategic collaboration",
        "source": "seeds 001 A.5",
        "members": "North Yorkshire Police, Cleveland Police, Durham Police, North Yorkshire OPCC",
        "facts": (
            "Collaboration on operational policing (back office excluded, partly because Cleveland has "
            "outsourced it). Instead of a new HQ, North Yorkshire Police will co-locate some accommodation "
            "and IT at Cleveland Police's future Community Safety Hub on the North Yorkshire/Cleveland "
            "border, an estimated capital saving of c£10m. Collaboration is to cover all operational areas "
            "except the CC and DCC posts and local policing."
        ),
    },
    {
        "name": "Yorkshire and the Humber (YaTH) regional collaboration",
        "source": "seeds 001 A.5, A.4",
        "members": (
            "West Yorkshire Police, South Yorkshire Police, North Yorkshire Police, Humberside Police"
        ),
        "facts": (
            "The four forces have collaborated since 2007 and, since 2012, under a lead force model that "
            "replaced the earlier 'fifth force'. Humberside leads on underwater search; North Yorkshire "
            "Police leads on CBRN, civil contingencies and disaster victim identification; other shared "
            "services include firearms training, public order, procurement, scientific support and "
            "organised crime. Heads of transport/fleet have worked together since 2010 under a Regional "
            "Fleet Board, with joint savings of approximately £14m to date."
        ),
    },
    {
        "name": "North Yorkshire police and fire estates sharing and Safety Service",
        "source": "seeds 001 A.5",
        "members": "North Yorkshire Police, North Yorkshire Fire and Rescue Service, North Yorkshire OPCC",
        "facts": (
            "Planning approval was obtained to extend the fire service premises at Boroughbridge so police "
            "teams can co-locate, saving at least £167,000 over the next 10 years; premises at Bedale are "
            "already shared, and a shared transport and logistics site is being explored. The joint Safety "
            "Service of PCSOs and fire Community Safety Officers has been implemented over the past 18 "
            "months in areas including Bedale, Richmond, Colburn and Scarborough."
        ),
    },
    {
        "name": "York River Safety Programme",
        "source": "seeds 001 A.5",
        "members": (
            "North Yorkshire OPCC, North Yorkshire Police, City of York Council, City Safety Strategic Group"
        ),
        "facts": (
            "Started by the PCC with a River Safety Summit after the deaths of three young people in "
            "York's rivers; the resulting plan has 7 recommendations on river safety and wider "
            "alcohol-related night-time economy safety, driven by a multi-agency City Safety Strategic "
            "Group."
        ),
    },
    {
        "name": "Together York",
        "source": "seeds 001 A.5; 004 s.2",
        "members": (
            "North Yorkshire Police, North Yorkshire OPCC, Together: for Mental Wellbeing, Vale of York "
            "Clinical Commissioning Group, Leeds and York Partnership NHS Foundation Trust"
        ),
        "facts": (
            "Pilot scheme to identify and support the most mentally vulnerable service users in the York "
            "area, reducing demand on participating services through a multi-agency approach and early "
            "intervention. (The plan summary lists the partners as NYP, NHS and City of York Council.)"
        ),
    },
    {
        "name": "Gwent Strategic Commissioning Board",
        "source": "seeds 001 A.3; 004 s.3",
        "members": (
            "Office of the PCC for Gwent, Local Authorities, Gwent Police, South Wales Fire & Rescue "
            "Service, Wales Probation Trust, Aneurin Bevan Health Board, Gwent Registered Social "
            "Landlords, The Gwent Voluntary Sector"
        ),
        "facts": (
            "Established by the PCC once elected and chaired by the Deputy PCC, it gives strategic "
            "direction to the PCC's commissioning programme on planning, service quality, contract "
            "performance and stakeholder engagement."
        ),
    },
    {
        "name": "Gwent PCC Partnership Fund",
        "source": "seeds 001 A.3",
        "members": "Gwent OPCC",
        "facts": (
            "Awards cash seized from criminals and money from selling unclaimed found property; groups "
            "could apply for up to the region of £10,000. 500 applications were submitted in the latest "
            "round (June 2014). Young people from the five youth forums set up by the Commissioner sit on "
            "the decision panel. Since the Commissioner took office, 109 projects have shared nearly "
            "£333,000. Awards include £5,000 to Tillery Combat Mixed Martial Arts Academy, £12,000 to "
            "South Wales Fire & Rescue Service for project Bernie, £9,600 to StopSO, £4,835 to the Voice "
            "Hub and £8,400 to Victory Outreach UK."
        ),
    },
    {
        "name": "Gwent restorative and youth projects",
        "source": "seeds 001 A.3",
        "members": "Gwent OPCC, Monmouth Comprehensive School, Positive Futures (Newport)",
        "facts": (
            "The Commissioner provided £50,000 over two years to the Making Connections restorative "
            "project at Monmouth Comprehensive School, where exclusions for inappropriate behaviour fell "
            "by 93%. Through his Community Safety Fund grant he awarded £280,000 two years ago to the "
            "Positive Futures sport project in Newport."
        ),
    },
    {
        "name": "Gwent Integrated Offender Management and Drugs Interventions Programme",
        "source": "seeds 001 A.3",
        "members": (
            "Gwent OPCC, probation service, Gwent Police, local authorities, drug and alcohol services, "
            "local health providers"
        ),
        "facts": (
            "The Gwent IOM programme secured a 9.1% reduction in re-offending among the most prolific "
            "offenders. The PCC-funded Gwent DIP has supported nearly 2,000 clients since 2006, and 70% of "
            "the IOM cohorts have come through DIP. The submission states every £1 invested in "
            "interventions saves £33 in tackling crime."
        ),
    },
    {
        "name": "Safer Gwent",
        "source": "seeds 001 A.3",
        "members": "Gwent OPCC, Gwent Police, statutory partners across the 5 Gwent local authority areas",
        "facts": (
            "Followed a Partnership Development Day held by the OPCC in February 2014 and a task and "
            "finish group; Safer Gwent community safety partnerships were to be fully operational by 2015 "
            "with priorities of safe and inclusive communities, reducing demand and an agreed governance "
            "and performance framework."
        ),
    },
    {
        "name": "Avon and Somerset Commissioner's Community Action Fund",
        "source": "seeds 001 A.1",
        "members": "Avon and Somerset OPCC, Police Community Trust",
        "facts": (
            "Small grants fund held and awarded by the Police Community Trust, established in May 2013 and "
            "issuing grants quarterly. The PCC donated £200,000 in both 2013/14 and 2014/15 for grants of "
            "up to £5,000 to projects meeting Police and Crime Plan priorities; it has been overwhelmed by "
            "applications at each quarterly meeting."
        ),
    },
    {
        "name": "Avon and Somerset domestic and sexual violence funding",
        "source": "seeds 001 A.1",
        "members": "Avon and Somerset OPCC, Avon and Somerset VAWC Strategy Group",
        "facts": (
            "The Ministry of Justice intended to allocate £1.3m to PCCs for victims of domestic and sexual "
            "violence within the 2014/15 victims' services grant; Avon and Somerset's share of £37,000 "
            "went to the Operational Group of the VAWC Strategy Group. Separately, a Home Office "
            "Innovation Fund bid for a CSE Victim Identification and Support Service covers two years with "
            "a total annual investment of £900,000 including partner match funding."
        ),
    },
    {
        "name": "Avon and Somerset SARC ('The Bridge') and Lighthouse victim service",
        "source": "seeds 001 A.1",
        "members": (
            "Avon and Somerset OPCC, NHS England, Avon and Somerset Constabulary, Public Health, third "
            "sector providers, Victim Support"
        ),
        "facts": (
            "The PCC co-funds the SARC with NHS England, overseen by a SARC Strategic Commissioning Board; "
            "a service review took place in late 2013. A Victims Programme Board established 18 months "
            "earlier oversaw the set-up of Lighthouse, an integrated, co-located victim and witness care "
            "service."
        ),
    },
    {
        "name": "Southwest One",
        "source": "seeds 001 A.1",
        "members": "Avon and Somerset Police, Somerset County Council, Taunton Deane Borough Council, IBM",
        "facts": (
            "Public private joint venture to deliver more efficient corporate services over a 10 years "
            "period: call centres and front desks, HR, finance, ICT including a managed SAP service, "
            "procurement, and corporate and admin support."
        ),
    },
    {
        "name": "Avon and Somerset partnership engagement",
        "source": "seeds 001 A.1",
        "members": "Avon and Somerset OPCC, local authorities, CSPs, Health and Wellbeing Boards, partners",
        "facts": (
            "The area has 10 local authorities, five Health and Wellbeing Boards and 5 CSPs. A March 2014 "
            "self-assessment drew responses from 22 organisations. Nearly 70 representatives attended the "
            "April 2014 Mental Health Concordat event, and five declarations were signed off in December. "
            "In July 2013 the PCC appointed 10 members of the public to an independent complaints scrutiny "
            "panel. Around 200 people attended the Somerset flood response meeting (dated November 2015 in "
            "the text)."
        ),
    },
    {
        "name": "South West regional police collaboration",
        "source": "seeds 001 A.1",
        "members": "Avon and Somerset OPCC, Devon and Cornwall OPCC, Dorset OPCC, Gloucestershire OPCC",
        "facts": (
            "The 5 South West PCCs agreed a joint vision in the first weeks after taking office in 2012 "
            "(the text names only four areas, listing Devon and Cornwall twice). Avon and Somerset leads "
            "the Zephyr organised crime and Special Branch collaborations, hosts the Tri Force firearms "
            "training facility, combines roads, firearms and dogs policing with Gloucestershire and "
            "Wiltshire, and has a Major Crime Collaboration with Wiltshire. Innovation fund bids include a "
            "four force forensics collaboration and a four force digital evidence and body worn video "
            "project."
        ),
    },
    {
        "name": "Devon and Cornwall victim care and grants",
        "source": "seeds 001 A.2",
        "members": (
            "Devon and Cornwall OPCC, over 40 third sector partners, Devon and Cornwall Business Council"
        ),
        "facts": (
            "New victim care arrangements across Devon, Cornwall and the Isles of Scilly from 1 April "
            "2015, built with over 40 third sector partners for an estimated 85,000 victims a year, based "
            "on a 2013 victims needs analysis. The PCC's Small Grants Scheme is £100,000 per year, and "
            "PCC-backed bids to the Ministry of Justice Competed Fund delivered over £600,000 to local "
            "victims' projects. The PCC sits on all five Health and Wellbeing Boards and works with the 18 "
            "South West MPs."
        ),
    },
    {
        "name": "Swansea Help Point and South Wales partnerships",
        "source": "seeds 001 A.6",
        "members": (
            "South Wales OPCC, police, local authorities, health, ambulance, voluntary sector, Jobcentre Plus"
        ),
        "facts": (
            "The Swansea city centre Help Point, a joint police, council, health, ambulance and voluntary "
            "sector approach, saved 16 ambulance journeys on its first night and almost 200 since opening "
            "in September 2014. The PCC funds a 'Wheels to Work' scooter-loan pilot with the local "
            "authority, Jobcentre Plus and the voluntary sector, and the South Wales Criminal Justice "
            "Board was merged with the South Wales Integrated Offender Management Board."
        ),
    },
    {
        "name": "Thames Valley Community Safety Fund",
        "source": "seeds 002 paras 13-14",
        "members": "Thames Valley OPCC, Thames Valley local authorities, Thames Valley Police",
        "facts": (
            "In 2014/15 the PCC provided over £3.7million from his Community Safety Fund to local "
            "authorities and Thames Valley Police, supporting CSPs, Youth Offending Teams and Drug and "
            "Alcohol Teams. Current spending is £3.12 m, or £1.33 per head of population. The PCC is one "
            "of only two PCCs that allocated their entire community safety budget to local authorities."
        ),
    },
    {
        "name": "West Yorkshire third sector partnership (Voluntary Action Leeds)",
        "source": "seeds 000 B.9; 004 s.3",
        "members": (
            "Voluntary Action Leeds, West Yorkshire OPCC, West Yorkshire Third Sector Advisory Group, "
            "Safer Future Communities network"
        ),
        "facts": (
            "The Safer Future Communities network launched in June 2012 and held a PCC hustings in October "
            "2012. The PCC signed the refreshed Compact for Leeds and funded a Third Sector Advisory "
            "Group, which reported back in November 2013, with a second conference in February 2015. At "
            "the end of January 2014 VAL's Deputy Chief Officer moved to the OPCC in Wakefield for a six "
            "month trial, later extended. The sector's influence grew in the CSPs of Leeds, Bradford, "
            "Kirklees, Wakefield and Calderdale, covering well over two million people; the work was "
            "nominated for a 2014 Compact Award for innovation."
        ),
    },
    {
        "name": "Warwickshire aligned Police and Crime Plan and Community Safety Agreement",
        "source": "seeds 001 A.8",
        "members": "Warwickshire OPCC, Warwickshire County Council, Safer Warwickshire Partnership Board",
        "facts": (
            "Proposed at the Safer Warwickshire Partnership Board on 18th March 2014 and approved on 20th "
            "June 2014, the single document combines the Police and Crime Plan 2013-17 with the Community "
            "Safety Agreement 2014-15 under the shared vision 'Protecting our Communities Together'; it "
            "was due to be refreshed in spring 2015 for 2015/16."
        ),
    },
    {
        "name": "The Shenstone Group",
        "source": "seeds 000 B.8; 004 s.2",
        "members": (
            "About 50 Worcestershire strategic leaders, including West Mercia Police, the PCC, the County "
            "Council, the NHS Acute Trust, local VCS organisations, Bosch and Malvern Instruments"
        ),
        "facts": (
            "Sessions began in 2009 and are held quarterly under Chatham House rules, funded by "
            "proportionate contributions from participants. In 2013 the Group published 'Worcester's Next "
            "Generation', a road map for the county, and it has delivered joint budget setting and "
            "place-based programmes; it has run for six years."
        ),
    },
    {
        "name": "Greater Manchester fire, police and ambulance co-location",
        "source": "seeds 000 B.4",
        "members": (
            "Greater Manchester Fire and Rescue Service, police, ambulance service, local authorities"
        ),
        "facts": (
            "Despite a 23% cut in central government grant, the service visits 60,000 homes a year. A "
            "Tameside fire station houses the council neighbourhood team with police; a Salford station is "
            "a fully integrated police, ambulance and fire station; the Moss Side boxing club has over 400 "
            "regular members. The Fire Transformation Fund supports ten Community Risk Intervention Teams "
            "(payback period under two years) and a multi-agency prevention hub in Salford."
        ),
    },
    {
        "name": "Sevenoaks Community Safety Unit daily tasking",
        "source": "seeds 000 B.7",
        "members": (
            "Sevenoaks District Council, Kent Police, housing associations, KCC Community Wardens, other "
            "Community Safety Partnership partners"
        ),
        "facts": (
            "About five years ago the community policing unit moved into council offices. Partners meet at "
            "9.15am Monday to Friday to review the previous 24 hours of reported ASB; a Risk Assessment "
            "Matrix is completed within 24 hours for vulnerable or repeat victims. Outcomes include action "
            "within 48 hours and 100% feedback to informants unless anonymous. PACT panels, chaired by "
            "local people, and Environmental Visual Audits run alongside."
        ),
    },
    {
        "name": "Barnardo's child sexual exploitation work with police",
        "source": "seeds 000 B.1; 004 s.2",
        "members": "Barnardo's, police forces, Association of Police and Crime Commissioners",
        "facts": (
            "Barnardo's has worked on CSE since 1994, delivering specialist services in over 40 locations "
            "and supporting around 2,000 children a year. Avon and Somerset police said that without "
            "Barnardo's support some Operation Brooke victims would never have reached court. In 2014 "
            "Barnardo's supported a Parliamentary inquiry into CSE and trafficking legislation."
        ),
    },
    {
        "name": "Leicestershire Deep Dive on partners and partnerships",
        "source": "seeds 003",
        "members": (
            "Leicestershire Police Authority, local authorities, Community Safety Partnerships, health, "
            "voluntary sector, Local Criminal Justice Board, drug and alcohol teams, Home Office"
        ),
        "facts": (
            "Leicestershire Police Authority was one of four Police Authorities to take part in a Home "
            "Office Deep Dive on the move to PCCs, run as roundtables and one to one interviews over a "
            "four day period. Partners noted the PCC would hold the CSP grants from 2012-14 and heard "
            "about the county's Community Budget pilot on families with complex needs."
        ),
    },
    {
        "name": "Business partnerships with police forces",
        "source": "seeds 000 B.3",
        "members": "Babcock, Metropolitan Police, Accenture, City of London Police",
        "facts": (
            "Babcock's fleet partnership with the Metropolitan Police brought two new maintenance centres "
            "and cut hire costs by a quarter. Accenture's procurement shared service centre for City of "
            "London Police is expected to save £30m over the five year contract."
        ),
    },
)
